using Sharpflow.Graph;

namespace Sharpflow.Argo;

/// <summary>What a region of a flow is compiled to: the whole flow, a foreach body (run once per item), or a loop body (a template that calls itself).</summary>
internal enum RegionKind
{
    Main,
    Foreach,
    Loop,
}

/// <summary>
/// A part of the flow that becomes one Argo DAG template. A foreach region holds the steps inside the foreach (between
/// its split step and its join); a loop region holds the steps from a switch's back-edge target (<see cref="Head"/>) to
/// the switch step (<see cref="LoopSwitch"/>).
/// </summary>
internal sealed record FlowRegion(RegionKind Kind, string Name, string? Head, string? SplitStep, string? LoopSwitch, IReadOnlySet<string> Steps)
{
    /// <summary>The enclosing region (null for the main region).</summary>
    public FlowRegion? Parent { get; set; }
}

/// <summary>
/// Splits a valid flow graph into nested regions for Argo: every step's stack of open splits (branch and foreach
/// steps not yet joined), foreach bodies as the steps inside a foreach split, and loops as the steps on a switch's
/// back edge. Each step belongs to its innermost region.
/// </summary>
internal sealed class FlowRegions
{
    private readonly Dictionary<string, IReadOnlyList<string>> _stacks = new(StringComparer.Ordinal);
    private readonly LoopEdges _loops;

    public FlowRegions(FlowGraph graph)
    {
        Graph = graph;
        ComputeStacks();
        _loops = new LoopEdges(graph);
        var all = new HashSet<string>(_stacks.Keys, StringComparer.Ordinal);
        Main = new FlowRegion(RegionKind.Main, "main", null, null, null, all);
        var regions = new List<FlowRegion> { Main };
        foreach (var split in graph.Steps.Where(s => s.Transition?.Kind == TransitionKind.Foreach && all.Contains(s.Name)))
        {
            var body = _stacks.Where(p => p.Value.Contains(split.Name)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            regions.Add(new FlowRegion(RegionKind.Foreach, "foreach-" + ArgoNames.Of(split.Name), split.Transition!.Targets[0], split.Name, null, body));
        }
        foreach (var (from, to) in _loops.BackEdges)
        {
            var reachesSwitch = graph.Ancestors(from).Append(from).ToHashSet(StringComparer.Ordinal);
            var body = _loops.Reachable(to, (a, b) => !(a == from && b == to)).Where(reachesSwitch.Contains).ToHashSet(StringComparer.Ordinal);
            regions.Add(new FlowRegion(RegionKind.Loop, "loop-" + ArgoNames.Of(to), to, null, from, body));
        }
        // The parent of a region is the smallest other region that holds all of its steps (a loop inside a foreach
        // body, a foreach inside a loop, nested foreach bodies).
        foreach (var region in regions.Where(r => r != Main))
        {
            region.Parent = regions.Where(r => r != region && region.Steps.IsSubsetOf(r.Steps)
                    && !(r.Steps.SetEquals(region.Steps) && r.Kind == RegionKind.Loop && region.Kind == RegionKind.Foreach))
                .OrderBy(r => r.Steps.Count).First();
        }
        Regions = regions;
    }

    public FlowGraph Graph { get; }

    public FlowRegion Main { get; }

    /// <summary>Every region: the main one first.</summary>
    public IReadOnlyList<FlowRegion> Regions { get; }

    /// <summary>The splits (branch and foreach steps) open at <paramref name="step"/>, outermost first.</summary>
    public IReadOnlyList<string> SplitsOpenAt(string step) => _stacks[step];

    /// <summary>The smallest region holding <paramref name="step"/>.</summary>
    public FlowRegion InnermostOf(string step) =>
        Regions.Where(r => r.Steps.Contains(step)).OrderBy(r => r.Steps.Count).ThenBy(r => r.Kind == RegionKind.Loop ? 0 : 1).First();

    /// <summary>The region directly inside <paramref name="region"/> that holds <paramref name="step"/>, or null when the step is <paramref name="region"/>'s own.</summary>
    public FlowRegion? ChildHolding(FlowRegion region, string step)
    {
        var inner = InnermostOf(step);
        if (inner == region)
        {
            return null;
        }
        while (inner.Parent != region)
        {
            inner = inner.Parent ?? throw new InvalidOperationException($"Step '{step}' is not inside region '{region.Name}'.");
        }
        return inner;
    }

    /// <summary>True when <paramref name="from"/> → <paramref name="to"/> is a switch case that goes back to a step before it (a loop).</summary>
    public bool IsBackEdge(string from, string to) => _loops.IsBackEdge(from, to);

    private void ComputeStacks()
    {
        var start = Graph.StartStep!.Name;
        _stacks[start] = [];
        var pending = new Queue<string>([start]);
        while (pending.TryDequeue(out var current))
        {
            var node = Graph[current];
            var stack = _stacks[current];
            foreach (var next in node.OutSteps)
            {
                var target = Graph[next];
                IReadOnlyList<string> nextStack = node.Transition!.Kind is TransitionKind.Branch or TransitionKind.Foreach ? [.. stack, current] : stack;
                if (target.IsJoin)
                {
                    nextStack = nextStack.Take(nextStack.Count - 1).ToArray();
                }
                if (_stacks.TryAdd(next, nextStack))
                {
                    pending.Enqueue(next);
                }
            }
        }
    }
}
