namespace Sharpflow.Execution;

/// <summary>
/// Starts the worker command of one task attempt somewhere (a child process here, a Slurm job, ...), hands each line
/// it prints to stdout (events and logs) to <c>onStdoutLine</c> as it comes, and returns its exit code and stderr. The
/// attempt is stopped when the run is cancelled or <c>deadline</c> passes.
/// </summary>
internal interface ITaskLauncher
{
    /// <summary>A folder the worker can read, for its task spec file.</summary>
    string SpecDirectory { get; }

    /// <summary>Runs <paramref name="command"/> for attempt <paramref name="attempt"/> of <paramref name="spec"/> until it exits.</summary>
    Task<(int ExitCode, string Stderr)> LaunchAsync(IReadOnlyList<string> command, TaskSpec spec, int attempt, TimeSpan? deadline, Action<string> onStdoutLine);
}
