using Sharpflow.Datastore;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>Whether a step's code is the code an earlier run ran (<c>show --changed</c>).</summary>
/// <param name="Step">The step.</param>
/// <param name="Status"><c>unchanged</c> (an earlier run ran this very code), <c>changed</c> or <c>new</c> (no earlier run ran the step).</param>
/// <param name="RunId">For unchanged: the newest run that ran this code; for changed: the newest run of the step; else null.</param>
public sealed record StepChange(string Step, string Status, string? RunId);

/// <summary>Compares each step's code (<see cref="StepCode"/>) with what the flow's newest runs in a namespace ran.</summary>
public static class StepChanges
{
    /// <summary>
    /// Each step of <paramref name="flowType"/> in run order, compared with the newest runs of the flow in
    /// <paramref name="user"/>'s namespace (null: the current user) in <paramref name="store"/>.
    /// </summary>
    public static async Task<IReadOnlyList<StepChange>> CompareAsync(Type flowType, IBlobStore store, string? user = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        ArgumentNullException.ThrowIfNull(store);
        var graph = FlowGraphExtractor.Extract(flowType);
        var history = await ReadHistoryAsync(graph.FlowName, store, user, cancellationToken).ConfigureAwait(false);
        return graph.InRunOrder.Select(step => Compare(step.Name, StepCode.Of(flowType, step).Hash, history)).ToArray();
    }

    /// <summary>Step <paramref name="step"/> with code hash <paramref name="code"/> against the flow's newest runs (<see cref="ReadHistoryAsync"/>).</summary>
    public static StepChange Compare(string step, string code, IReadOnlyList<(string RunId, RunFingerprints Fingerprints)> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var same = history.FirstOrDefault(h => h.Fingerprints.Steps.GetValueOrDefault(step) == code).RunId;
        var last = history.FirstOrDefault(h => h.Fingerprints.Steps.ContainsKey(step)).RunId;
        return same is not null ? new StepChange(step, "unchanged", same)
            : last is not null ? new StepChange(step, "changed", last)
            : new StepChange(step, "new", null);
    }

    /// <summary>The step code hashes of the newest runs of <paramref name="flow"/> in <paramref name="user"/>'s namespace (null: the current user's), newest first.</summary>
    public static Task<IReadOnlyList<(string RunId, RunFingerprints Fingerprints)>> ReadHistoryAsync(string flow, IBlobStore store, string? user = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return FingerprintHistory.ReadAsync(new MetadataStore(store), flow, UserIdentity.NamespaceOf(user ?? UserIdentity.Current()), null, cancellationToken);
    }
}
