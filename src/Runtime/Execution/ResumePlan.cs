using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// What a resumed run reuses. Nothing at or after the resume point runs with old code: a task is cloned from the origin
/// run only when the origin has a successful task at the same <see cref="TaskIdentity"/>, all its parents were cloned,
/// and it comes before the resume point. The resume point is the resume step, and when that step is in a loop, the
/// iteration each foreach item (each place in the enclosing splits) had reached: its first iteration that did not
/// succeed, so a long loop continues where it stopped. Steps after the resume step run again, except the earlier passes
/// of a loop the resume step is in.
/// </summary>
internal sealed class ResumePlan
{
    private readonly IReadOnlySet<string> _after;
    private readonly IReadOnlySet<string> _loop;
    private readonly IReadOnlyDictionary<string, int> _resumeIterations;

    private ResumePlan(string originRunId, string resumeStep, IReadOnlySet<string> after, IReadOnlySet<string> loop,
        IReadOnlyDictionary<string, int> resumeIterations, IReadOnlyDictionary<string, (TaskRecord Record, ArtifactIndex Artifacts)> tasks,
        IReadOnlyDictionary<string, string> fingerprints)
    {
        Fingerprints = fingerprints;
        OriginRunId = originRunId;
        ResumeStep = resumeStep;
        _after = after;
        _loop = loop;
        _resumeIterations = resumeIterations;
        Tasks = tasks;
    }

    public string OriginRunId { get; }

    public string ResumeStep { get; }

    /// <summary>True when <paramref name="spec"/> may be cloned (its origin task still has to exist).</summary>
    public bool MayClone(TaskSpec spec)
    {
        if (!spec.Parents.All(p => p.Cloned))
        {
            return false;
        }
        var name = spec.Step.Name;
        if (name != ResumeStep && !_after.Contains(name))
        {
            return true; // before the resume step, or on another branch
        }
        // The resume step and the steps after it: only the earlier passes of a loop through the resume step.
        return (name == ResumeStep || _loop.Contains(name)) && spec.Iteration < _resumeIterations.GetValueOrDefault(ItemOf(spec.Splits));
    }

    /// <summary>The fingerprints the origin run recorded, by task as <c>run/step/task</c> (a clone carries its origin's).</summary>
    public IReadOnlyDictionary<string, string> Fingerprints { get; }

    /// <summary>Successful origin tasks of clonable steps, by identity.</summary>
    public IReadOnlyDictionary<string, (TaskRecord Record, ArtifactIndex Artifacts)> Tasks { get; }

    /// <summary>
    /// The plan to resume <paramref name="originRunId"/> at <paramref name="resumeStep"/>: from each item's first
    /// iteration that did not succeed when <paramref name="continueLoops"/> (resuming where a run failed), else from the
    /// step's first task (a step named to run again).
    /// </summary>
    public static async Task<ResumePlan> BuildAsync(FlowGraph graph, MetadataStore metadata, string originRunId, StepNode resumeStep, bool continueLoops, CancellationToken cancellationToken)
    {
        var records = new List<TaskRecord>();
        foreach (var step in await metadata.ListStepsAsync(graph.FlowName, originRunId, cancellationToken).ConfigureAwait(false))
        {
            var ids = await metadata.ListTasksAsync(graph.FlowName, originRunId, step, cancellationToken).ConfigureAwait(false);
            var read = await metadata.ReadStepTasksAsync(graph.FlowName, originRunId, step, ids, message => Console.Error.WriteLine($"warning: {message}"), cancellationToken).ConfigureAwait(false);
            records.AddRange(read.OfType<TaskRecord>());
        }
        var succeeded = records.Where(r => r.Status == RunStatus.Succeeded).ToList();
        var indexes = await metadata.ReadArtifactIndexesAsync(succeeded, cancellationToken).ConfigureAwait(false);
        var tasks = new Dictionary<string, (TaskRecord, ArtifactIndex)>(StringComparer.Ordinal);
        for (var i = 0; i < succeeded.Count; i++)
        {
            if (indexes[i] is { } index)
            {
                tasks[TaskIdentity.Of(succeeded[i])] = (succeeded[i], index);
            }
        }

        var loops = new LoopEdges(graph);
        var loop = loops.LoopsThrough(resumeStep.Name);
        var resumeIterations = new Dictionary<string, int>(StringComparer.Ordinal);
        if (continueLoops && loop.Count > 0)
        {
            foreach (var item in records.Where(r => r.StepName == resumeStep.Name).GroupBy(r => ItemOf(r.Splits)))
            {
                var failed = item.Where(r => r.Status != RunStatus.Succeeded).Select(r => r.Iteration).DefaultIfEmpty(int.MaxValue).Min();
                resumeIterations[item.Key] = failed != int.MaxValue ? failed : item.Max(r => r.Iteration) + 1;
            }
        }
        var recorded = (await metadata.ReadFingerprintsAsync(graph.FlowName, [originRunId], cancellationToken).ConfigureAwait(false))[0];
        var fingerprints = (recorded?.Tasks.Values ?? []).ToDictionary(t => $"{originRunId}/{t.Step}/{t.TaskId}", t => t.Fingerprint, StringComparer.Ordinal);
        return new ResumePlan(originRunId, resumeStep.Name, loops.After(resumeStep.Name), loop, resumeIterations, tasks, fingerprints);
    }

    /// <summary>A task's place in its enclosing splits (its foreach item), without its step and iteration.</summary>
    private static string ItemOf(IReadOnlyList<SplitFrame> splits) => TaskIdentity.Of("", splits, 0);
}
