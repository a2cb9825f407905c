namespace Sharpflow.Graph;

/// <summary>
/// The loops of a valid flow graph: a switch case back to a step that every path from Start to the switch passes
/// (its loop head) is a back edge. Without those edges the graph is acyclic, which orders "before" and "after".
/// </summary>
internal sealed class LoopEdges
{
    private readonly FlowGraph _graph;
    private readonly HashSet<(string From, string To)> _backEdges;

    /// <summary>Finds the back edges of <paramref name="graph"/> (a valid graph: it has a start step).</summary>
    public LoopEdges(FlowGraph graph)
    {
        _graph = graph;
        var reachable = Reachable(graph.StartStep!.Name, (_, _) => true);
        _backEdges = [.. graph.Steps.Where(s => s.Transition?.Kind == TransitionKind.Switch && reachable.Contains(s.Name))
            .SelectMany(s => s.OutSteps.Where(t => t == s.Name || graph.Ancestors(s.Name).Contains(t) && Dominates(t, s.Name)).Select(t => (s.Name, t)))];
    }

    /// <summary>Every back edge, as (switch step, loop head).</summary>
    public IReadOnlySet<(string From, string To)> BackEdges => _backEdges;

    /// <summary>True when <paramref name="from"/> → <paramref name="to"/> is a switch case back to a loop head.</summary>
    public bool IsBackEdge(string from, string to) => _backEdges.Contains((from, to));

    /// <summary>The steps after <paramref name="step"/>: reachable from it without taking a back edge (itself excluded).</summary>
    public IReadOnlySet<string> After(string step)
    {
        var after = Reachable(step, (a, b) => !IsBackEdge(a, b));
        after.Remove(step);
        return after;
    }

    /// <summary>The steps on a loop through <paramref name="step"/> (itself included when it is on one).</summary>
    public IReadOnlySet<string> LoopsThrough(string step)
    {
        var from = Reachable(step, (_, _) => true);
        var steps = from.Where(s => Reachable(s, (_, _) => true).Contains(step)).ToHashSet(StringComparer.Ordinal);
        return steps.Count == 1 && !_graph[step].OutSteps.Contains(step) ? new HashSet<string>(StringComparer.Ordinal) : steps;
    }

    /// <summary>The steps reachable from <paramref name="from"/> (itself included) along the edges <paramref name="follow"/> accepts.</summary>
    public HashSet<string> Reachable(string from, Func<string, string, bool> follow)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var pending = new Stack<string>([from]);
        while (pending.TryPop(out var current))
        {
            foreach (var next in _graph[current].OutSteps.Where(n => follow(current, n)))
            {
                if (seen.Add(next))
                {
                    pending.Push(next);
                }
            }
        }
        return seen;
    }

    /// <summary>True when every path from the start to <paramref name="step"/> passes <paramref name="head"/> (so a case back to it closes a loop).</summary>
    private bool Dominates(string head, string step) =>
        head == step || !Reachable(_graph.StartStep!.Name, (_, b) => b != head).Contains(step);
}
