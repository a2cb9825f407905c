using System.CommandLine;
using Sharpflow.Cli;
using Sharpflow.Execution;

namespace Sharpflow;

/// <summary>
/// The <c>sharpflow</c> command (the .NET tool Sharpflow.Cli): everything that reads the datastore but not a flow's
/// code: <c>runs</c>, <c>show</c>, <c>dump</c>, <c>logs</c>, <c>card</c> and <c>tag</c>, on local and S3 datastores. They
/// are the flow programs' own commands (same output, same <c>--json</c>), with the flow named first in each pathspec:
/// <c>sharpflow dump HelloFlow/latest/Join</c>.
/// </summary>
public static class SharpflowTool
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliOutput(TaskOutputCapture.OriginalOut, TaskOutputCapture.OriginalError), cancellationToken);

    internal static async Task<int> RunAsync(string[] args, CliOutput output, CancellationToken cancellationToken)
    {
        var scope = FlowScope.AnyFlow;
        var datastore = CliCommands.DatastoreOption();
        var root = new RootCommand("sharpflow: list and read the runs of any flow in a datastore (a folder or s3://bucket/prefix), without the flow's code.")
        {
            datastore,
            ShowRunCommand.Build(scope, datastore, output),
        };
        foreach (var command in CliCommands.DatastoreReaders(scope, datastore, output))
        {
            root.Subcommands.Add(command);
        }
        var parse = root.Parse(args);
        var exitCode = await parse.InvokeAsync(new InvocationConfiguration { Output = output.Out, Error = output.Error }, cancellationToken).ConfigureAwait(false);
        return parse.Errors.Count > 0 && exitCode != 0 ? CliErrors.Refused : exitCode;
    }
}
