using System.CommandLine;

namespace Sharpflow.Cli;

/// <summary><c>run</c>: validates the flow, runs it in this process with live progress, and exits non-zero if it fails.</summary>
internal static class RunCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output, IReadOnlyList<string>? taskCommand)
    {
        var command = new Command("run", $"Run flow '{flowType.Name}' in this process.");
        var settings = new RunSettings(flowType, command, datastore, output, taskCommand);
        command.SetAction((parse, cancellationToken) =>
            settings.ExecuteAsync(parse, flowType, runner => runner.RunAsync(settings.Parameters(parse), cancellationToken)));
        return command;
    }
}
