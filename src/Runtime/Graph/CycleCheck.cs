namespace Sharpflow.Graph;

/// <summary>Finds loops that do not pass through a switch: recursion is allowed only through Switch(...).</summary>
internal static class CycleCheck
{
    public static IEnumerable<GraphDiagnostic> FindCyclesWithoutSwitch(FlowGraph graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        var path = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<GraphDiagnostic>();
        foreach (var step in graph.Steps)
        {
            Visit(step);
        }
        return diagnostics;

        void Visit(StepNode node)
        {
            if (state.TryGetValue(node.Name, out var s))
            {
                if (s == 1)
                {
                    var cycle = path.Skip(path.IndexOf(node.Name)).Append(node.Name).ToArray();
                    if (reported.Add(string.Join(",", cycle.Order())))
                    {
                        diagnostics.Add(GraphRules.CycleWithoutSwitch.At(graph.FlowName, node.Name, string.Join(" -> ", cycle)));
                    }
                }
                return;
            }
            state[node.Name] = 1;
            path.Add(node.Name);
            if (node.Transition is { Kind: not TransitionKind.Switch })
            {
                foreach (var next in node.OutSteps)
                {
                    if (graph.Find(next) is { } child)
                    {
                        Visit(child);
                    }
                }
            }
            path.RemoveAt(path.Count - 1);
            state[node.Name] = 2;
        }
    }
}
