using System.CommandLine;
using Sharpflow.Execution;

namespace Sharpflow.Cli;

/// <summary><c>step</c> (internal): runs one attempt of a task of an existing run; used by process isolation and remote workers.</summary>
internal static class StepCommand
{
    public static Command Build(Type flowType, Option<string?> datastore, CliOutput output)
    {
        var spec = new Option<string>("--spec") { Description = "The task description written by the scheduler.", Required = true };
        var command = new Command("step", "Run one task attempt (used by Sharpflow itself).") { spec };
        command.Hidden = true;
        command.SetAction((parse, cancellationToken) =>
            IsolatedTaskHost.RunAsync(flowType, parse.GetValue(spec)!, parse.GetValue(datastore), output.Out, cancellationToken));
        return command;
    }
}
