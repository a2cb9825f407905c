using System.Collections;
using Sharpflow.Artifacts;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Rebuilds what the scheduler needs from a task that finished elsewhere (a resumed run's origin, a child process):
/// the foreach items from its stored list artifact and the step its switch took.
/// </summary>
internal static class StoredOutcome
{
    /// <summary>
    /// The outcome of <paramref name="record"/>. With <paramref name="itemHashes"/> (a reused foreach split's, recorded
    /// with its fingerprint) the foreach list is decoded only when a child task first reads its item; else now.
    /// </summary>
    public static async Task<TaskOutcome> ForAsync(RunContext run, TaskSpec spec, TaskRecord record, ArtifactIndex artifacts, bool cloned, IReadOnlyList<string>? itemHashes = null)
    {
        IReadOnlyList<ForeachItem> items = [];
        if (record.Status == RunStatus.Succeeded && record.Transition is { Kind: TransitionKind.Foreach, ForeachVariable: { } variable })
        {
            items = itemHashes is { } hashes && hashes.Count == record.ForeachCount
                ? Deferred(run, spec.Step, variable, artifacts, hashes)
                : (await EncodeItemsAsync(run, spec.Step, variable, artifacts).ConfigureAwait(false)).Select(ForeachItem.Of).ToArray();
        }
        return new TaskOutcome(spec, record, artifacts)
        {
            Cloned = cloned,
            ForeachItems = items,
            ChosenStep = record.Transition?.Kind == TransitionKind.Switch ? record.Next.Single() : null,
        };
    }

    /// <summary>Items known by their hashes, sharing one read of the stored list when the first child that runs asks.</summary>
    private static ForeachItem[] Deferred(RunContext run, StepNode step, string variable, ArtifactIndex artifacts, IReadOnlyList<string> hashes)
    {
        var list = new Lazy<Task<EncodedArtifact[]>>(async () =>
        {
            var encoded = await EncodeItemsAsync(run, step, variable, artifacts).ConfigureAwait(false);
            return encoded.Length == hashes.Count ? encoded
                : throw new InvalidOperationException($"Flow '{run.FlowName}', step '{step.Name}': the stored foreach list '{variable}' has {encoded.Length} items, but the task recorded {hashes.Count} (its stored record or list was changed): run without --reuse to compute the step again.");
        });
        return hashes.Select((hash, i) => ForeachItem.Stored(hash, async () => (await list.Value.ConfigureAwait(false))[i])).ToArray();
    }

    private static async Task<EncodedArtifact[]> EncodeItemsAsync(RunContext run, StepNode step, string variable, ArtifactIndex artifacts)
    {
        var member = ArtifactMember.Find(run.FlowType, variable)!;
        var list = await run.Artifacts.LoadValueAsync(step.Name, variable, artifacts.Artifacts[variable], member.Type, run.Cancellation).ConfigureAwait(false) as IEnumerable
            ?? throw new InvalidOperationException($"Flow '{run.FlowName}', step '{step.Name}': the stored foreach list '{variable}' is null.");
        return list.Cast<object?>().Select((v, i) => run.Artifacts.Codec.Encode(run.FlowName, step.Name, $"{variable}[{i}]", v)).ToArray();
    }
}
