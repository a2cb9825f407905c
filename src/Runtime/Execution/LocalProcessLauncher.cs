using System.Diagnostics;
using System.Text;

namespace Sharpflow.Execution;

/// <summary>Runs a task attempt's worker as a child process of this one (<c>--isolation process</c>).</summary>
internal sealed class LocalProcessLauncher(RunContext run) : ITaskLauncher
{
    /// <inheritdoc />
    public string SpecDirectory => Path.GetTempPath();

    /// <inheritdoc />
    public async Task<(int ExitCode, string Stderr)> LaunchAsync(IReadOnlyList<string> command, TaskSpec spec, int attempt, TimeSpan? deadline, Action<string> onStdoutLine)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{command[0]}' for a task of flow '{run.FlowName}'.");
        var stderr = new StringBuilder();
        var readErrors = Task.Run(async () =>
        {
            while (await child.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                stderr.AppendLine(line);
            }
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation);
        if (deadline is { } limit)
        {
            stop.CancelAfter(limit);
        }
        await using (stop.Token.Register(() => KillQuietly(child)))
        {
            while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                onStdoutLine(line);
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
