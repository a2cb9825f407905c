using Sharpflow.Events;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Clones an origin task into a resumed run: a new task record that points at the same artifact blobs (no bytes are
/// copied), marked with its origin, carrying the origin's transition so the run continues exactly where it went before.
/// </summary>
internal sealed class TaskCloner(RunContext run, ResumePlan plan)
{
    private static bool SameTransition(Graph.StepTransition? origin, Graph.StepTransition? current) =>
        origin is null ? current is null : current is not null && origin.SameShapeAs(current);

    /// <summary>The cloned outcome, or null when the task comes after the resume point or did not succeed in the origin run.</summary>
    public async Task<TaskOutcome?> TryCloneAsync(TaskSpec spec)
    {
        if (!plan.MayClone(spec) || !plan.Tasks.TryGetValue(spec.Identity, out var origin))
        {
            return null;
        }
        var (originRecord, artifacts) = origin;
        if (!SameTransition(originRecord.Transition, spec.Step.Transition))
        {
            return null; // the step's code now goes elsewhere: run it again rather than follow the old edge
        }
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
            Origin = $"{plan.OriginRunId}/{originRecord.StepName}/{originRecord.TaskId}",
        };
        var stdout = originRecord.HasStdout ? await run.Metadata.ReadLogAsync(originRecord, "stdout").ConfigureAwait(false) : "";
        var stderr = originRecord.HasStderr ? await run.Metadata.ReadLogAsync(originRecord, "stderr").ConfigureAwait(false) : "";
        await run.Metadata.WriteTaskResultAsync(record, artifacts, stdout, stderr, CancellationToken.None).ConfigureAwait(false);
        run.Publish(new TaskCloned(run.FlowName, run.RunId, now, spec.Step.Name, spec.TaskId, record.Origin));
        return await StoredOutcome.ForAsync(run, spec, record, artifacts, cloned: true).ConfigureAwait(false);
    }
}
