namespace Sharpflow.Graph;

/// <summary>
/// Checks that every branch and foreach is closed by exactly one join that receives all of its branches, and that
/// branches never meet anywhere else. Switches route without opening a split, so their cases may meet in any step.
/// </summary>
internal static class SplitJoinBalance
{
    private sealed record Frame(string SplitStep, int Branch, TransitionKind Kind, string BranchStep);

    public static IReadOnlyList<GraphDiagnostic> Check(FlowGraph graph, StepNode start, StepNode? end)
    {
        var flow = graph.FlowName;
        var diagnostics = new List<GraphDiagnostic>();
        var stackAt = new Dictionary<string, Frame[]>(StringComparer.Ordinal);
        var arrivals = new Dictionary<string, List<(string Parent, Frame[] Stack)>>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var work = new Queue<(StepNode Step, Frame[] Stack, string? Parent)>();
        work.Enqueue((start, [], null));

        while (work.TryDequeue(out var item))
        {
            var (step, stack, parent) = item;
            if (step.IsJoin)
            {
                (arrivals.TryGetValue(step.Name, out var list) ? list : arrivals[step.Name] = []).Add((parent ?? "", stack));
                if (stack.Length == 0)
                {
                    if (reported.Add(step.Name))
                    {
                        diagnostics.Add(GraphRules.JoinWithoutSplit.At(flow, step.Name));
                    }
                    continue;
                }
                if (stackAt.TryAdd(step.Name, stack[..^1]))
                {
                    Propagate(step, stack[..^1]);
                }
                continue;
            }
            if (stackAt.TryGetValue(step.Name, out var known))
            {
                if (!known.SequenceEqual(stack) && reported.Add(step.Name))
                {
                    diagnostics.Add(GraphRules.MissingJoin.At(flow, step.Name, DescribeMeeting(known, stack)));
                }
                continue;
            }
            stackAt[step.Name] = stack;
            Propagate(step, stack);
        }

        foreach (var (join, list) in arrivals)
        {
            CheckJoinArrivals(graph, join, list.Where(a => a.Stack.Length > 0).ToList(), diagnostics);
        }
        return diagnostics;

        void Propagate(StepNode step, Frame[] stack)
        {
            if (step == end)
            {
                if (stack.Length > 0)
                {
                    var open = stack[^1];
                    diagnostics.Add(GraphRules.UnclosedSplit.At(flow, step.Name, KindName(open.Kind), open.SplitStep));
                }
                return;
            }
            if (step.Transition is not { } transition)
            {
                return;
            }
            for (var i = 0; i < transition.Targets.Count; i++)
            {
                if (graph.Find(transition.Targets[i]) is not { } child)
                {
                    continue;
                }
                var childStack = transition.Kind is TransitionKind.Branch or TransitionKind.Foreach
                    ? [.. stack, new Frame(step.Name, transition.Kind == TransitionKind.Branch ? i : 0, transition.Kind, child.Name)]
                    : stack;
                work.Enqueue((child, childStack, step.Name));
            }
        }
    }

    private static void CheckJoinArrivals(FlowGraph graph, string join, List<(string Parent, Frame[] Stack)> arrivals, List<GraphDiagnostic> diagnostics)
    {
        if (arrivals.Count == 0)
        {
            return;
        }
        var flow = graph.FlowName;
        var first = arrivals[0];
        var foreign = arrivals.FirstOrDefault(a => a.Stack[^1].SplitStep != first.Stack[^1].SplitStep || !a.Stack[..^1].SequenceEqual(first.Stack[..^1]));
        if (foreign.Stack is not null)
        {
            diagnostics.Add(GraphRules.JoinParentMismatch.At(flow, join,
                $"its inputs come from different splits: step '{first.Parent}' (split at '{first.Stack[^1].SplitStep}') and step '{foreign.Parent}' (split at '{foreign.Stack[^1].SplitStep}')"));
            return;
        }
        var split = first.Stack[^1];
        if (split.Kind != TransitionKind.Branch || graph.Find(split.SplitStep)?.Transition is not { } transition)
        {
            return;
        }
        var missing = Enumerable.Range(0, transition.Targets.Count).Except(arrivals.Select(a => a.Stack[^1].Branch)).ToArray();
        if (missing.Length > 0)
        {
            diagnostics.Add(GraphRules.JoinParentMismatch.At(flow, join,
                $"the branch{(missing.Length > 1 ? "es" : "")} starting at {string.Join(", ", missing.Select(m => $"'{transition.Targets[m]}'"))} of the split at '{split.SplitStep}' never reach{(missing.Length > 1 ? "" : "es")} it"));
        }
    }

    private static string DescribeMeeting(Frame[] a, Frame[] b)
    {
        var common = a.Zip(b).TakeWhile(p => p.First == p.Second).Count();
        if (common < a.Length && common < b.Length && a[common].SplitStep == b[common].SplitStep)
        {
            return $"branches '{a[common].BranchStep}' and '{b[common].BranchStep}' of the split at '{a[common].SplitStep}' meet here without a join";
        }
        var deeper = a.Length > b.Length ? a : b;
        return $"it is reached both inside and outside the {KindName(deeper[common].Kind)} at '{deeper[common].SplitStep}'";
    }

    private static string KindName(TransitionKind kind) => kind == TransitionKind.Foreach ? "foreach" : "branch";
}
