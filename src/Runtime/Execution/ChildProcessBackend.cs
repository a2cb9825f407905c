using System.Diagnostics;
using System.Text;
using Sharpflow.Compute;

namespace Sharpflow.Execution;

/// <summary>Runs a task attempt's worker as a child process of this one, from the flow's own program (<c>--isolation process</c>).</summary>
internal sealed class ChildProcessBackend : IComputeBackend
{
    /// <summary>The one instance.</summary>
    public static readonly ChildProcessBackend Instance = new();

    /// <inheritdoc />
    public string Name => "process";

    /// <inheritdoc />
    public Type? AttributeType => null;

    /// <inheritdoc />
    public WorkerProgram Program => WorkerProgram.ThisProgram;

    /// <inheritdoc />
    public bool ReachesLocalDatastore => true;

    /// <inheritdoc />
    public string SpecDirectory(RunnerOptions options) => Path.GetTempPath();

    /// <inheritdoc />
    public async Task<(int ExitCode, string Stderr)> LaunchAsync(TaskAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var command = attempt.Command;
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{command[0]}' for a task of flow '{attempt.FlowName}'.");
        var stderr = new StringBuilder();
        var readErrors = Task.Run(async () =>
        {
            while (await child.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                stderr.AppendLine(line);
            }
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (attempt.Deadline is { } limit)
        {
            stop.CancelAfter(limit);
        }
        await using (stop.Token.Register(() => KillQuietly(child)))
        {
            while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                attempt.OnStdoutLine(line);
            }
            await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await readErrors.ConfigureAwait(false);
        return (child.ExitCode, stderr.ToString());
    }

    private static void KillQuietly(Process child)
    {
        try
        {
            child.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it already exited
        }
    }
}
