using System.Collections;
using Sharpflow.Execution;

namespace Sharpflow;

/// <summary>
/// The parent tasks of a join step, one flow instance each, hydrated lazily with that parent's artifacts (private
/// copies: changing them changes nothing stored).
/// </summary>
public sealed class Inputs<TFlow> : IReadOnlyList<TFlow> where TFlow : FlowSpec
{
    private readonly TFlow?[] _hydrated;

    internal Inputs(JoinSources sources)
    {
        Sources = sources;
        _hydrated = new TFlow?[sources.Count];
    }

    internal JoinSources Sources { get; }

    /// <summary>The number of parent tasks.</summary>
    public int Count => Sources.Count;

    /// <summary>The parent task at <paramref name="index"/> (foreach order for a foreach join, branch order for a static join).</summary>
    public TFlow this[int index] => _hydrated[index] ??= (TFlow)Sources.Hydrate(index);

    /// <summary>In a static-branch join, the input that came from the branch ending in step <paramref name="step"/>.</summary>
    public TFlow this[string step]
    {
        get
        {
            var index = Sources.IndexOfStep(step);
            if (index < 0)
            {
                throw new KeyNotFoundException(
                    $"Join has no input from step '{step}'; its inputs come from: {string.Join(", ", Sources.StepNames.Distinct())}.");
            }
            return this[index];
        }
    }

    /// <inheritdoc />
    public IEnumerator<TFlow> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
