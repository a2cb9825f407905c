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
}
