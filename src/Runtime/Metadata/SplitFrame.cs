using Sharpflow.Graph;

namespace Sharpflow.Metadata;

/// <summary>
/// One open split around a task: the split's step and task, its kind, this task's branch index and the split's width,
/// and which loop iteration of the split step opened it.
/// </summary>
public sealed record SplitFrame(string SplitStep, string SplitTaskId, TransitionKind Kind, int Index, int Count, string? Variable)
{
    /// <summary>How many times a loop had entered the split step before the task that opened this split (0 without loops).</summary>
    public int SplitIteration { get; init; }

    /// <summary>The public foreach view of this frame (only meaningful for foreach frames).</summary>
    public ForeachFrame ToForeachFrame() => new(SplitStep, Variable ?? "", Index, Count);
}
