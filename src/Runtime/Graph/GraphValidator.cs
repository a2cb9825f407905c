using System.Collections;
using Sharpflow.Artifacts;

namespace Sharpflow.Graph;

/// <summary>Checks a flow graph against <see cref="GraphRules"/>, as Metaflow's <c>check</c> does.</summary>
public static class GraphValidator
{
    /// <summary>All diagnostics for the graph: extraction problems first, then the structural rules.</summary>
    public static IReadOnlyList<GraphDiagnostic> Validate(FlowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var flow = graph.FlowName;
        var diagnostics = new List<GraphDiagnostic>(graph.ExtractionDiagnostics);
        if (graph.Steps.Count == 0)
        {
            diagnostics.Add(GraphRules.NoSteps.At(flow, null));
            return diagnostics;
        }

        foreach (var hook in ExitHook.Of(graph.FlowType))
        {
            if (hook.SignatureProblem() is { } problem)
            {
                diagnostics.Add(GraphRules.InvalidExitHook.At(flow, null, hook.Name, problem));
            }
        }

        var start = graph.StartStep;
        var end = graph.EndStep;
        if (start is null)
        {
            diagnostics.Add(GraphRules.MissingStart.At(flow, null));
        }
        if (end is null)
        {
            diagnostics.Add(GraphRules.MissingEnd.At(flow, null));
        }
        else if (end.TransitionCallCount > 0)
        {
            diagnostics.Add(GraphRules.EndHasTransition.At(flow, end.Name));
        }

        foreach (var step in graph.Steps)
        {
            if (step != end && step.TransitionCallCount == 0)
            {
                diagnostics.Add(GraphRules.MissingTransition.At(flow, step.Name));
            }
            CheckArtifactReferences(graph, step, diagnostics);
            CheckEmptyForeach(graph, step, diagnostics);
        }

        if (start is not null)
        {
            foreach (var step in graph.Steps.Where(s => !Reachable(graph, start).Contains(s.Name)))
            {
                diagnostics.Add(GraphRules.UnreachableStep.At(flow, step.Name));
            }
            diagnostics.AddRange(CycleCheck.FindCyclesWithoutSwitch(graph));
            if (!diagnostics.Any(d => d.IsError && d.Rule == GraphRules.UnknownTarget))
            {
                diagnostics.AddRange(SplitJoinBalance.Check(graph, start, end));
            }
        }
        return diagnostics;
    }

    /// <summary>
    /// Throws <see cref="FlowDefinitionException"/> when the graph has errors; returns the warnings otherwise. With
    /// <paramref name="stopAfter"/>, only what a run that stops after that step needs is enforced: rules on that step
    /// and the steps leading to it, not the ones about steps after it (a flow being built step by step).
    /// </summary>
    public static IReadOnlyList<GraphDiagnostic> EnsureValid(FlowGraph graph, string? stopAfter = null)
    {
        var diagnostics = Validate(graph);
        if (stopAfter is not null)
        {
            var step = graph[stopAfter].Name;
            var needed = graph.Ancestors(step).Append(step).ToHashSet(StringComparer.Ordinal);
            diagnostics = diagnostics.Where(d => !IsAboutLaterSteps(d.Rule) && (d.Step is null || needed.Contains(d.Step))).ToArray();
        }
        var errors = diagnostics.Where(d => d.IsError).ToArray();
        return errors.Length > 0 ? throw new FlowDefinitionException(graph.FlowName, errors) : diagnostics;
    }

    private static readonly HashSet<GraphRule> AboutLaterSteps =
        [GraphRules.MissingEnd, GraphRules.UnreachableStep, GraphRules.MissingJoin, GraphRules.UnclosedSplit];

    /// <summary>True for the rules a flow may break while its later steps are not written yet (a missing End, an unclosed split, ...).</summary>
    public static bool IsAboutLaterSteps(GraphRule rule) => AboutLaterSteps.Contains(rule);

    /// <summary>True when the type can be the list of a foreach: any enumerable except strings and dictionaries.</summary>
    public static bool IsListType(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && !typeof(IDictionary).IsAssignableFrom(type)
        && !(type.IsGenericType && type.GetInterfaces().Append(type).Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))));

    private static void CheckArtifactReferences(FlowGraph graph, StepNode step, List<GraphDiagnostic> diagnostics)
    {
        if (step.Transition is { Kind: TransitionKind.Foreach, ForeachVariable: { } variable })
        {
            var member = ArtifactMember.Find(graph.FlowType, variable);
            if (member is null)
            {
                diagnostics.Add(GraphRules.ForeachNotList.At(graph.FlowName, step.Name, variable, "not an artifact of the flow"));
            }
            else if (!IsListType(member.Type))
            {
                diagnostics.Add(GraphRules.ForeachNotList.At(graph.FlowName, step.Name, variable, $"of type {member.Type.Name}, not a list"));
            }
        }
        if (step.Transition is { Kind: TransitionKind.Switch, SwitchCondition: { } condition }
            && ArtifactMember.Find(graph.FlowType, condition) is null)
        {
            diagnostics.Add(GraphRules.SwitchUnknownCondition.At(graph.FlowName, step.Name, condition));
        }
    }

    private static void CheckEmptyForeach(FlowGraph graph, StepNode step, List<GraphDiagnostic> diagnostics)
    {
        if (step.Transition is { Kind: TransitionKind.Foreach } forEach
            && graph.Find(forEach.Targets[0]) is { IsJoin: true } join)
        {
            diagnostics.Add(GraphRules.EmptyForeach.At(graph.FlowName, step.Name, join.Name));
        }
    }

    internal static HashSet<string> Reachable(FlowGraph graph, StepNode start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.Name };
        var queue = new Queue<StepNode>([start]);
        while (queue.TryDequeue(out var node))
        {
            foreach (var next in node.OutSteps)
            {
                if (graph.Find(next) is { } child && seen.Add(child.Name))
                {
                    queue.Enqueue(child);
                }
            }
        }
        return seen;
    }
}
