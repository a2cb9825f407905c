using Sharpflow.Artifacts;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// The parent tasks of a join: their records and artifact indexes. Artifact values load only when the join touches an
/// input, and only those the join's code can read (<paramref name="used"/>, all when null), so a join over many parents
/// never holds what it does not read; <c>MergeArtifacts</c> compares hashes without loading.
/// </summary>
internal sealed class JoinSources(
    IReadOnlyList<TaskOutcome> parents,
    ArtifactStore artifacts,
    Func<FlowSpec> createInstance,
    IReadOnlySet<string>? used,
    CancellationToken cancellation)
{
    public int Count => parents.Count;

    public IEnumerable<string> StepNames => parents.Select(p => p.Record.StepName);

    public TaskOutcome Parent(int index) => parents[index];

    public int IndexOfStep(string step)
    {
        for (var i = 0; i < parents.Count; i++)
        {
            if (string.Equals(parents[i].Record.StepName, step, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>A new flow instance holding fresh copies of input <paramref name="index"/>'s artifacts (those the join can read).</summary>
    public FlowSpec Hydrate(int index)
    {
        var instance = createInstance();
        foreach (var member in ArtifactMember.Of(instance.GetType()).Where(m => used is null || used.Contains(m.Name)))
        {
            if (Load(index, member.Name, member.Type, out var value))
            {
                member.SetValue(instance, value);
            }
        }
        return instance;
    }

    /// <summary>A fresh copy of one artifact of input <paramref name="index"/>; false when that input lacks it.</summary>
    public bool Load(int index, string name, Type type, out object? value)
    {
        var parent = parents[index];
        if (parent.Artifacts.Artifacts.TryGetValue(name, out var entry))
        {
            // Inputs are read synchronously from the step's code; the local store completes synchronously.
            value = artifacts.LoadValueAsync(parent.Record.StepName, name, entry, type, cancellation).GetAwaiter().GetResult();
            return true;
        }
        value = null;
        return false;
    }

    public string? HashOf(int index, string name) =>
        parents[index].Artifacts.Artifacts.TryGetValue(name, out var entry) ? entry.Hash : null;
}
