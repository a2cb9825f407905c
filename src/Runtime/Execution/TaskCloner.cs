using Sharpflow.Events;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Clones an origin task into a resumed run: a new task record that points at the same artifact blobs (no bytes are
/// copied), marked with its origin, carrying the origin's transition so the run continues exactly where it went before.
/// </summary>
internal sealed class TaskCloner(RunContext run, ResumePlan plan)
{
    /// <summary>The cloned outcome, or null when the task comes after the resume point or did not succeed in the origin run.</summary>
    public async Task<TaskOutcome?> TryCloneAsync(TaskSpec spec)
    {
        if (!plan.MayClone(spec) || !plan.Tasks.TryGetValue(spec.Identity, out var origin))
        {
            return null;
        }
        var (originRecord, artifacts) = origin;
        return SameTransition(originRecord.Transition, spec.Step.Transition)
            ? await CloneAsync(run, spec, plan.OriginRunId, originRecord, artifacts, reused: false).ConfigureAwait(false)
            : null; // the step's code now goes elsewhere: run it again rather than follow the old edge
    }

    /// <summary>True when the origin's transition has the shape the step's code has now.</summary>
    public static bool SameTransition(Graph.StepTransition? origin, Graph.StepTransition? current) =>
        origin is null ? current is null : current is not null && origin.SameShapeAs(current);

    /// <summary>
    /// Writes <paramref name="spec"/>'s task as a copy of <paramref name="originRecord"/> of run <paramref name="originRunId"/>
    /// with <paramref name="artifacts"/> (blobs shared, logs copied), tells the live views, and returns its outcome
    /// (a foreach split's items decoded only when a child runs if their <paramref name="itemHashes"/> are known).
    /// </summary>
    public static async Task<TaskOutcome> CloneAsync(RunContext run, TaskSpec spec, string originRunId, TaskRecord originRecord, ArtifactIndex artifacts, bool reused, IReadOnlyList<string>? itemHashes = null)
    {
        var now = DateTimeOffset.UtcNow;
        var record = originRecord with
        {
            RunId = run.RunId,
            TaskId = spec.TaskId,
            Attempt = 0,
            StartedAt = now,
            FinishedAt = now,
            Parents = spec.Parents.Select(p => $"{p.Record.StepName}/{p.Record.TaskId}").ToArray(),
            Splits = spec.Splits,
            Iteration = spec.Iteration,
            Origin = $"{originRunId}/{originRecord.StepName}/{originRecord.TaskId}",
            Reused = reused,
        };
        var stdout = originRecord.HasStdout ? await run.Metadata.ReadLogAsync(originRecord, "stdout").ConfigureAwait(false) : "";
        var stderr = originRecord.HasStderr ? await run.Metadata.ReadLogAsync(originRecord, "stderr").ConfigureAwait(false) : "";
        await run.Metadata.WriteTaskResultAsync(record, artifacts, stdout, stderr, CancellationToken.None).ConfigureAwait(false);
        run.Publish(new TaskCloned(run.FlowName, run.RunId, now, spec.Step.Name, spec.TaskId, record.Origin, reused));
        return await StoredOutcome.ForAsync(run, spec, record, artifacts, cloned: true, itemHashes).ConfigureAwait(false);
    }
}
