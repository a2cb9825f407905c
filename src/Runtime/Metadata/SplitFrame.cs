using Sharpflow.Graph;

namespace Sharpflow.Metadata;

/// <summary>One open split around a task: the split's step and task, its kind, this task's branch index and the split's width.</summary>
public sealed record SplitFrame(string SplitStep, string SplitTaskId, TransitionKind Kind, int Index, int Count, string? Variable)
{
    /// <summary>The public foreach view of this frame (only meaningful for foreach frames).</summary>
    public ForeachFrame ToForeachFrame() => new(SplitStep, Variable ?? "", Index, Count);
}
