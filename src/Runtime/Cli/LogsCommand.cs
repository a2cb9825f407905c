using System.CommandLine;
using Sharpflow.Metadata;

namespace Sharpflow.Cli;

/// <summary><c>logs</c>: prints the captured stdout and stderr of a step's tasks, and how a failed task failed.</summary>
internal static class LogsCommand
{
    public static Command Build(FlowScope scope, Option<string?> datastore, CliOutput output)
    {
        var pathspec = TaskPathspec.Argument(scope);
        var stderrOnly = new Option<bool>("--stderr") { Description = "Print only stderr (a failed attempt's ends with its full trace)." };
        var stdoutOnly = new Option<bool>("--stdout") { Description = "Print only stdout." };
        var attempt = new Option<int?>("--attempt") { Description = "The attempt whose output to print (0 = the first; default: the last)." };
        var ns = FlowScope.NamespaceOption();
        var command = new Command("logs", "Print the output a step's tasks wrote, and how a failed task failed.") { pathspec, stderrOnly, stdoutOnly, attempt, ns };
        command.SetAction(parse => CliErrors.Guard(output, () =>
        {
            var tasks = TaskPathspec.Resolve(scope, parse.GetValue(datastore), parse.GetValue(pathspec)!, parse.GetValue(ns));
            foreach (var task in tasks)
            {
                if (tasks.Count > 1)
                {
                    output.Out.WriteLine($"--- {task.Pathspec} ({task.Status})");
                }
                var number = parse.GetValue(attempt);
                if (!parse.GetValue(stderrOnly))
                {
                    output.Out.Write(task.Log("stdout", number));
                }
                if (!parse.GetValue(stdoutOnly))
                {
                    var stderr = task.Log("stderr", number);
                    output.Error.Write(stderr);
                    var failure = number is { } n && n != task.Attempt ? task.Attempts.First(a => a.Attempt == n).Exception : task.Exception;
                    if (failure is not null && !stderr.Contains(failure.Message, StringComparison.Ordinal))
                    {
                        output.Error.WriteLine(Describe(failure)); // records from before traces were kept in the log
                    }
                }
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A failure for people: type, message and the flow's own frames.</summary>
    public static string Describe(ExceptionRecord failure) =>
        $"{failure.Type}: {failure.Message}" + (failure.UserFrames.Length > 0 ? $"\n{failure.UserFrames}" : "");
}
