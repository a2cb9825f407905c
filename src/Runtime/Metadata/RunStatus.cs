namespace Sharpflow.Metadata;

/// <summary>Where a run or task stands.</summary>
public enum RunStatus
{
    /// <summary>Started and not finished (or the process died: no final record was written).</summary>
    Running,
    /// <summary>Finished successfully.</summary>
    Succeeded,
    /// <summary>Finished with a failure.</summary>
    Failed,
    /// <summary>Stopped by cancellation.</summary>
    Cancelled,
    /// <summary>
    /// Never finished: the process that ran it is gone (killed, out of memory, machine lost) without recording an end.
    /// Never stored: the Client API derives it from a run left <see cref="Running"/> whose owner is gone. Resume takes it.
    /// </summary>
    Crashed,
}
