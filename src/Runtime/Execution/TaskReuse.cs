using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Reuse for one run (<see cref="RunnerOptions.Reuse"/>): the successful tasks of the flow's newest earlier runs in the
/// user's namespace (<see cref="FingerprintHistory"/>), by fingerprint (<see cref="TaskFingerprint"/>). A task whose
/// fingerprint one of them has is cloned from it (artifacts shared, origin recorded, marked reused) instead of run. For a step with one parent, the artifacts
/// its code cannot touch pass through from its new parent, not from the old task's: a reused task carries this run's
/// parameters and upstream values, exactly as running it would have.
/// </summary>
internal sealed class TaskReuse
{
    private readonly RunContext _run;
    private readonly TaskFingerprint _fingerprint;
    private readonly IReadOnlyDictionary<string, (string RunId, TaskFingerprintRecord Task)> _earlier;

    /// <summary>The artifacts of the origins' parents, read once each: a foreach's reused children share their parent.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Run, string Step, string Task), Task<ArtifactIndex?>> _originParents = new();

    private TaskReuse(RunContext run, TaskFingerprint fingerprint, IReadOnlyDictionary<string, (string RunId, TaskFingerprintRecord Task)> earlier)
    {
        _run = run;
        _fingerprint = fingerprint;
        _earlier = earlier;
    }

    /// <summary>Reads the fingerprints of the newest earlier runs (the newest wins when two have the same fingerprint).</summary>
    public static async Task<TaskReuse> LoadAsync(RunContext run, TaskFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var earlier = new Dictionary<string, (string, TaskFingerprintRecord)>(StringComparer.Ordinal);
        foreach (var (runId, fingerprints) in await FingerprintHistory.ReadAsync(run.Metadata, run.FlowName, UserIdentity.NamespaceOf(run.User), run.RunId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var task in fingerprints.Tasks.Values)
            {
                earlier.TryAdd(task.Fingerprint, (runId, task));
            }
        }
        return new TaskReuse(run, fingerprint, earlier);
    }

    /// <summary>The reused outcome, or null when no earlier task has the fingerprint (or its record or artifacts are gone).</summary>
    public async Task<TaskOutcome?> TryReuseAsync(TaskSpec spec, string fingerprint)
    {
        if (!_earlier.TryGetValue(fingerprint, out var match))
        {
            return null;
        }
        var (originRecord, originArtifacts) = await ReadTaskAsync(match.RunId, match.Task.Step, match.Task.TaskId).ConfigureAwait(false);
        if (originRecord is null || originArtifacts is null || !TaskCloner.SameTransition(originRecord.Transition, spec.Step.Transition))
        {
            return null;
        }
        var artifacts = originArtifacts;
        if (_fingerprint.InputsRead(spec) is { } touched)
        {
            if (originRecord.Parents is not [var parentPath] || parentPath.Split('/') is not [var parentStep, var parentTask]
                || await _originParents.GetOrAdd((match.RunId, parentStep, parentTask), async key => (await ReadTaskAsync(key.Run, key.Step, key.Task).ConfigureAwait(false)).Artifacts).ConfigureAwait(false) is not { } originParent
                || PassThrough(originArtifacts, originParent, spec.Parents[0].Artifacts, touched) is not { } composed)
            {
                return null;
            }
            artifacts = composed;
        }
        return await TaskCloner.CloneAsync(_run, spec, match.RunId, originRecord, artifacts, reused: true, match.Task.Items).ConfigureAwait(false);
    }

    /// <summary>
    /// The reused task's artifacts: the origin's for what its code can touch, the new parent's for the rest; null when
    /// the origin task changed something its code cannot touch (a library writing the flow by reflection): it runs again.
    /// </summary>
    private static ArtifactIndex? PassThrough(ArtifactIndex origin, ArtifactIndex originParent, ArtifactIndex parent, IReadOnlySet<string> touched)
    {
        var artifacts = new Dictionary<string, ArtifactEntry>(origin.Artifacts, StringComparer.Ordinal);
        foreach (var name in origin.Artifacts.Keys.Concat(originParent.Artifacts.Keys).Concat(parent.Artifacts.Keys).Distinct(StringComparer.Ordinal).Where(n => !touched.Contains(n)))
        {
            var stored = origin.Artifacts.GetValueOrDefault(name);
            var inherited = originParent.Artifacts.GetValueOrDefault(name);
            if (stored?.Hash != inherited?.Hash || stored?.Serializer != inherited?.Serializer)
            {
                return null;
            }
            if (parent.Artifacts.TryGetValue(name, out var entry))
            {
                artifacts[name] = entry;
            }
            else
            {
                artifacts.Remove(name);
            }
        }
        return new ArtifactIndex(artifacts);
    }

    private async Task<(TaskRecord? Record, ArtifactIndex? Artifacts)> ReadTaskAsync(string runId, string step, string taskId)
    {
        var record = (await _run.Metadata.ReadTasksAsync(_run.FlowName, runId, [(step, taskId)], _run.Cancellation).ConfigureAwait(false))[0];
        if (record is not { Status: RunStatus.Succeeded })
        {
            return (null, null);
        }
        return (record, (await _run.Metadata.ReadArtifactIndexesAsync([record], _run.Cancellation).ConfigureAwait(false))[0]);
    }
}
