using System.CommandLine;
using Sharpflow.Execution;

namespace Sharpflow.Cli;

/// <summary><c>resume [STEP]</c>: reuses the successful tasks of a past run before STEP (default: where it failed) and runs the rest with the current code.</summary>
internal static class ResumeCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output, IReadOnlyList<string>? taskCommand)
    {
        var step = new Argument<string?>("step") { Description = "The step to run again from (default: the step that failed).", Arity = ArgumentArity.ZeroOrOne };
        var origin = new Option<string?>("--origin-run-id") { Description = "The run to resume (default: the latest run in your namespace)." };
        var command = new Command("resume", $"Resume a run of flow '{flowType.Name}': clone what succeeded before STEP, run the rest with the run's own parameters and configs.") { step, origin };
        var settings = new RunSettings(flowType, command, datastore, output, taskCommand, keepsInputs: true);
        command.SetAction((parse, cancellationToken) => settings.ExecuteAsync(parse, flowType, runner => runner.ResumeAsync(
            new ResumeOptions { OriginRunId = parse.GetValue(origin), Step = parse.GetValue(step), Parameters = settings.Parameters(parse) },
            cancellationToken)));
        return command;
    }
}
