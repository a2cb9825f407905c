using Sharpflow.Artifacts;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>A task the scheduler will run: its step, id, parent tasks, open splits and (inside a foreach) its item.</summary>
internal sealed record TaskSpec(StepNode Step, string TaskId, IReadOnlyList<TaskOutcome> Parents, IReadOnlyList<SplitFrame> Splits, EncodedArtifact? ForeachItem);

/// <summary>How a task ended: its final record, its artifacts, and what the scheduler needs to start its successors.</summary>
internal sealed record TaskOutcome(TaskRecord Record, ArtifactIndex Artifacts)
{
    public bool Succeeded => Record.Status == RunStatus.Succeeded;

    /// <summary>For a foreach split: one encoded item per child task.</summary>
    public IReadOnlyList<EncodedArtifact> ForeachItems { get; init; } = [];

    /// <summary>For a switch: the step the condition picked.</summary>
    public string? ChosenStep { get; init; }
}
