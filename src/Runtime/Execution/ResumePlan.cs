using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// What a resumed run reuses: a task is cloned from the origin run when the origin has a successful task at the same
/// <see cref="TaskIdentity"/>, all its parents were cloned too, and it comes before the resume point (the resume step,
/// from the loop iteration that failed on). Everything from the resume point on runs again, and so does everything
/// that descends from a task that ran.
/// </summary>
internal sealed class ResumePlan
{
    private ResumePlan(string originRunId, string resumeStep, int resumeIteration, IReadOnlyDictionary<string, (TaskRecord Record, ArtifactIndex Artifacts)> tasks)
    {
        OriginRunId = originRunId;
        ResumeStep = resumeStep;
        ResumeIteration = resumeIteration;
        Tasks = tasks;
    }

    public string OriginRunId { get; }

    public string ResumeStep { get; }

    /// <summary>In a loop, the first iteration of the resume step that runs again (earlier iterations are cloned).</summary>
    public int ResumeIteration { get; }

    /// <summary>True when <paramref name="spec"/> may be cloned (its origin task still has to exist).</summary>
    public bool MayClone(TaskSpec spec) =>
        spec.Parents.All(p => p.Cloned) && !(spec.Step.Name == ResumeStep && spec.Iteration >= ResumeIteration);

    /// <summary>Successful origin tasks of clonable steps, by identity.</summary>
    public IReadOnlyDictionary<string, (TaskRecord Record, ArtifactIndex Artifacts)> Tasks { get; }

    public static async Task<ResumePlan> BuildAsync(FlowGraph graph, MetadataStore metadata, string originRunId, StepNode resumeStep, int resumeIteration, CancellationToken cancellationToken)
    {
        var records = new List<TaskRecord>();
        foreach (var step in await metadata.ListStepsAsync(graph.FlowName, originRunId, cancellationToken).ConfigureAwait(false))
        {
            var ids = await metadata.ListTasksAsync(graph.FlowName, originRunId, step, cancellationToken).ConfigureAwait(false);
            var read = await metadata.ReadTasksAsync(graph.FlowName, originRunId, ids.Select(id => (step, id)).ToArray(), cancellationToken).ConfigureAwait(false);
            records.AddRange(read.OfType<TaskRecord>().Where(r => r.Status == RunStatus.Succeeded));
        }
        var indexes = await metadata.ReadArtifactIndexesAsync(records, cancellationToken).ConfigureAwait(false);
        var tasks = new Dictionary<string, (TaskRecord, ArtifactIndex)>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            if (indexes[i] is { } index)
            {
                tasks[TaskIdentity.Of(records[i])] = (records[i], index);
            }
        }
        return new ResumePlan(originRunId, resumeStep.Name, resumeIteration, tasks);
    }
}
