using System.CommandLine;

namespace Sharpflow.Cli;

/// <summary><c>logs</c>: prints the captured stdout (and stderr) of a step's tasks.</summary>
internal static class LogsCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output)
    {
        var pathspec = TaskPathspec.Argument();
        var stderrOnly = new Option<bool>("--stderr") { Description = "Print only stderr." };
        var stdoutOnly = new Option<bool>("--stdout") { Description = "Print only stdout." };
        var command = new Command("logs", "Print the output a step's tasks wrote.") { pathspec, stderrOnly, stdoutOnly };
        command.SetAction(parse =>
        {
            try
            {
                var tasks = TaskPathspec.Resolve(flowType, parse.GetValue(datastore), parse.GetValue(pathspec)!);
                foreach (var task in tasks)
                {
                    if (tasks.Count > 1)
                    {
                        output.Out.WriteLine($"--- {task.Pathspec} ({task.Status})");
                    }
                    if (!parse.GetValue(stderrOnly))
                    {
                        output.Out.Write(task.Stdout);
                    }
                    if (!parse.GetValue(stdoutOnly))
                    {
                        output.Error.Write(task.Stderr);
                    }
                }
                return 0;
            }
            catch (Exception e) when (CliErrors.IsUserError(e))
            {
                output.Error.WriteLine(e.Message);
                return CliErrors.Refused;
            }
        });
        return command;
    }
}
