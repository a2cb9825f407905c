namespace Sharpflow.Execution;

/// <summary>Where a run's tasks execute.</summary>
public enum TaskIsolation
{
    /// <summary>In the scheduler's process, in parallel on the thread pool (the default; fastest, notebook-friendly).</summary>
    InProcess,

    /// <summary>
    /// Each attempt in a child process started from the flow's own command line: a crash or <c>Environment.Exit</c>
    /// fails that task, not the scheduler. For compiled flows.
    /// </summary>
    Process,
}
