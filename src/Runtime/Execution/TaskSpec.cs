using Sharpflow.Artifacts;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// A task the scheduler will run: its step, id, parent tasks, open splits, and for each split the foreach item
/// (null for branch frames), so every step inside a foreach body can read its item.
/// </summary>
internal sealed record TaskSpec(StepNode Step, string TaskId, IReadOnlyList<TaskOutcome> Parents, IReadOnlyList<SplitFrame> Splits, IReadOnlyList<ForeachItem?> SplitItems)
{
    /// <summary>How many times a loop entered this step (within the same splits) before this task.</summary>
    public int Iteration { get; init; }

    /// <summary>Artifact values set on the flow instance after it inherits its inputs (spin overrides); empty normally.</summary>
    public IReadOnlyDictionary<string, object?> Overrides { get; init; } = new Dictionary<string, object?>();

    /// <summary>Where the task's first attempt joins the array launch of its foreach, or null when it launches alone.</summary>
    public TaskArrayMember? ArrayMember { get; init; }

    /// <summary>The task's place in the run, the same across runs (see <see cref="TaskIdentity"/>).</summary>
    public string Identity => TaskIdentity.Of(Step.Name, Splits, Iteration);

    /// <summary>The item of the innermost enclosing foreach, or null outside a foreach.</summary>
    public ForeachItem? ForeachItem
    {
        get
        {
            for (var i = Splits.Count - 1; i >= 0; i--)
            {
                if (Splits[i].Kind == TransitionKind.Foreach)
                {
                    return SplitItems[i];
                }
            }
            return null;
        }
    }
}

/// <summary>How a task ended: its final record, its artifacts, and what the scheduler needs to start its successors.</summary>
internal sealed record TaskOutcome(TaskSpec Spec, TaskRecord Record, ArtifactIndex Artifacts)
{
    public bool Succeeded => Record.Status == RunStatus.Succeeded;

    /// <summary>For a foreach split: one encoded item per child task.</summary>
    public IReadOnlyList<ForeachItem> ForeachItems { get; init; } = [];

    /// <summary>True when the task was cloned from the origin of a resumed run rather than run.</summary>
    public bool Cloned { get; init; }

    /// <summary>For a switch: the step the condition picked.</summary>
    public string? ChosenStep { get; init; }
}
