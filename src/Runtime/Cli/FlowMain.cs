using System.CommandLine;
using Sharpflow.Execution;

namespace Sharpflow;

/// <summary>
/// The command line of a flow: <c>return await FlowMain.RunAsync&lt;TrainFlow&gt;(args);</c> gives it <c>run</c>,
/// <c>show</c>, <c>check</c>, <c>logs</c> and <c>dump</c>, each with <c>--help</c>.
/// </summary>
public static class FlowMain
{
    /// <summary>Parses <paramref name="args"/> and runs the command for flow <typeparamref name="TFlow"/>; returns the exit code.</summary>
    public static Task<int> RunAsync<TFlow>(string[] args, CancellationToken cancellationToken = default) where TFlow : FlowSpec =>
        RunAsync(typeof(TFlow), args, cancellationToken);

    /// <summary>Parses <paramref name="args"/> and runs the command for the flow type; returns the exit code.</summary>
    public static Task<int> RunAsync(Type flowType, string[] args, CancellationToken cancellationToken = default) =>
        RunAsync(flowType, args, new CliOutput(TaskOutputCapture.OriginalOut, TaskOutputCapture.OriginalError), Cli.TaskCommandLine.ForCurrentProcess(args), cancellationToken);

    /// <summary>
    /// Runs the command writing to the given output (tests and hosts that embed the CLI); <paramref name="taskCommand"/>
    /// starts this flow's command line in a child process for process isolation (null: unavailable).
    /// </summary>
    internal static Task<int> RunAsync(Type flowType, string[] args, CliOutput output, IReadOnlyList<string>? taskCommand, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        // A flow the command line cannot be built for (a parameter without a setter, a native program's missing flow
        // manifest) is refused with the message, like any other bad input.
        return Cli.CliErrors.GuardAsync(output, () => ParseAndInvokeAsync(flowType, args, output, taskCommand, cancellationToken));
    }

    private static async Task<int> ParseAndInvokeAsync(Type flowType, string[] args, CliOutput output, IReadOnlyList<string>? taskCommand, CancellationToken cancellationToken)
    {
        var root = Cli.CliCommands.Build(flowType, output, taskCommand, args);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && MissingAddOnCommand(root, args) is { } missing)
        {
            await output.Error.WriteLineAsync(missing).ConfigureAwait(false);
            return Cli.CliErrors.Refused;
        }
        // Ctrl+C / SIGTERM cancel the run, which then stops its tasks (cancelling remote jobs) and records itself as
        // cancelled; System.CommandLine 2.0.0 leaves this off unless the timeout is set.
        var exitCode = await parse.InvokeAsync(new InvocationConfiguration { Output = output.Out, Error = output.Error, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) }, cancellationToken).ConfigureAwait(false);
        // A command line that does not parse is refused like any other bad input (exit 1 means a run failed).
        return parse.Errors.Count > 0 && exitCode != 0 ? Cli.CliErrors.Refused : exitCode;
    }

    /// <summary>The message for a command an add-on brings that this flow's program lacks (<c>argo-workflows</c> without Sharpflow.Argo), or null.</summary>
    private static string? MissingAddOnCommand(RootCommand root, string[] args) =>
        args.FirstOrDefault(a => Extensibility.OfficialAddOns.Commands.ContainsKey(a) && root.Subcommands.All(c => c.Name != a)) is { } name
            ? $"The command '{name}' comes with the package {Extensibility.OfficialAddOns.Commands[name]}: add it to the flow's project (dotnet add package {Extensibility.OfficialAddOns.Commands[name]})."
            : null;
}
