using Sharpflow.Artifacts;
using Sharpflow.Graph;

namespace Sharpflow.Execution;

/// <summary>The runtime side of one step invocation: what the flow instance reaches through Next, Input, MergeArtifacts and Current.</summary>
internal sealed class StepExecution(
    Current current,
    Func<Type, object?>? foreachInput = null,
    JoinStart? joinStart = null)
{
    private readonly HashSet<string> _merged = new(StringComparer.Ordinal);

    public Current Current { get; } = current;

    public StepTransition? Transition { get; private set; }

    public int TransitionCalls { get; private set; }

    /// <summary>Artifacts a join took from its inputs through MergeArtifacts.</summary>
    public IReadOnlySet<string> Merged => _merged;

    public void RecordTransition(StepTransition transition)
    {
        TransitionCalls++;
        if (TransitionCalls > 1)
        {
            throw new InvalidOperationException(
                $"Flow '{Current.FlowName}', step '{Current.StepName}': Next/Switch was called more than once ({Transition} then {transition}). A step makes exactly one transition.");
        }
        Transition = transition;
    }

    /// <summary>Forgets the transition of a previous invocation (a decorator is running the step again).</summary>
    public void ResetTransition()
    {
        Transition = null;
        TransitionCalls = 0;
    }

    /// <summary>A decorator skipped the step: continue with the graph's transition when it does not depend on the step's result.</summary>
    public void RecordSkip(StepNode step)
    {
        if (step.Transition is { Kind: Graph.TransitionKind.Linear or Graph.TransitionKind.Branch } transition)
        {
            Transition = transition;
            return;
        }
        if (step.Transition is not null)
        {
            throw new InvalidOperationException(
                $"Flow '{Current.FlowName}', step '{step.Name}': a decorator skipped the step, but its next step depends on its result ({step.Transition}). Only steps with Next(A) or Next(A, B) can be skipped.");
        }
    }

    public T GetForeachInput<T>()
    {
        if (foreachInput is null)
        {
            throw new InvalidOperationException(
                $"Flow '{Current.FlowName}', step '{Current.StepName}': Input<{typeof(T).Name}>() is only available in a step started by a foreach (Next(step, forEach: ...)).");
        }
        var value = foreachInput(typeof(T));
        return value is T typed || (value is null && default(T) is null) ? (T)value! : throw new InvalidCastException(
            $"Flow '{Current.FlowName}', step '{Current.StepName}': the foreach item is a {value?.GetType().Name ?? "null"}, not a {typeof(T).Name}.");
    }

    public void MergeArtifacts(FlowSpec join, JoinSources sources, IEnumerable<string>? exclude, IEnumerable<string>? include)
    {
        var flow = Current.FlowName;
        var step = Current.StepName;
        var members = ArtifactMember.Of(join.GetType()).ToDictionary(m => m.Name, StringComparer.Ordinal);
        var excluded = (exclude ?? []).ToHashSet(StringComparer.Ordinal);
        var included = include?.ToArray();
        foreach (var name in (included ?? []).Concat(excluded).Where(n => !members.ContainsKey(n)))
        {
            throw new ArgumentException($"Flow '{flow}', step '{step}': MergeArtifacts names '{name}', which is not an artifact of the flow.");
        }
        // As in Metaflow's merge_artifacts: what the join set before the call is its own (never overwritten, never a
        // conflict); an artifact only some inputs have merges from those; nothing is merged if anything conflicts.
        var conflicts = new List<string>();
        var absent = new List<string>();
        var merges = new List<(ArtifactMember Member, int Holder)>();
        foreach (var name in included ?? members.Keys.ToArray())
        {
            if (excluded.Contains(name))
            {
                continue;
            }
            var member = members[name];
            var hashes = Enumerable.Range(0, sources.Count).Select(i => sources.HashOf(i, name)).ToArray();
            var holder = Array.FindIndex(hashes, h => h is not null);
            if ((holder < 0 && included is null) || joinStart?.Changed(join, member) == true)
            {
                continue;
            }
            if (holder < 0)
            {
                absent.Add(name);
            }
            else if (hashes.Where(h => h is not null).Distinct().Count() == 1)
            {
                merges.Add((member, holder));
            }
            else
            {
                conflicts.Add(name);
            }
        }
        if (conflicts.Count > 0)
        {
            throw new InvalidOperationException(
                $"Flow '{flow}', step '{step}': artifacts {string.Join(", ", conflicts.Select(c => $"'{c}'"))} have different values in the join's inputs, so MergeArtifacts cannot pick one. "
                + "Set them in the join before calling MergeArtifacts, or pass them in exclude: [...].");
        }
        if (absent.Count > 0)
        {
            throw new InvalidOperationException(
                $"Flow '{flow}', step '{step}': MergeArtifacts(include: ...) names {string.Join(", ", absent.Select(a => $"'{a}'"))}, which no input has and the join has not set. "
                + "Set it on at least one branch, or leave it out of include.");
        }
        foreach (var (member, holder) in merges)
        {
            sources.Load(holder, member.Name, member.Type, out var value);
            member.SetValue(join, value);
            _merged.Add(member.Name);
        }
    }
}
