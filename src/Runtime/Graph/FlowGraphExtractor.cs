using System.Reflection;
using System.Runtime.CompilerServices;

namespace Sharpflow.Graph;

/// <summary>
/// Extracts a flow's graph from its compiled type: the [Step] methods and the Next/Switch call in each body. Works the
/// same for project assemblies, file-based apps and in-memory (scripting, notebook) assemblies.
/// </summary>
public static class FlowGraphExtractor
{
    private static readonly ConditionalWeakTable<Type, FlowGraph> Cache = new();

    /// <summary>The graph of <paramref name="flowType"/> (cached per type). Call <see cref="GraphValidator.Validate"/> to check it.</summary>
    public static FlowGraph Extract(Type flowType)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        if (!typeof(FlowSpec).IsAssignableFrom(flowType))
        {
            throw new ArgumentException($"Type '{flowType.FullName}' does not derive from Sharpflow.FlowSpec.", nameof(flowType));
        }
        return Cache.GetValue(flowType, Build);
    }

    private static FlowGraph Build(Type flowType)
    {
        var flow = flowType.Name;
        var diagnostics = new List<GraphDiagnostic>();
        var methods = StepMethods(flowType);
        foreach (var duplicate in methods.GroupBy(m => m.Name).Where(g => g.Count() > 1))
        {
            diagnostics.Add(GraphRules.DuplicateStep.At(flow, duplicate.Key));
        }

        var nodes = methods.DistinctBy(m => m.Name).Select(m => new StepNode(m.Name, m, IsJoinSignature(m))).ToList();
        var stepNames = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (SignatureProblem(node.Method, flowType) is { } problem)
            {
                diagnostics.Add(GraphRules.InvalidStepSignature.At(flow, node.Name, problem));
            }
            var calls = FlowManifest.IlIsReadable ? IlTransitionScanner.Scan(node.Method) : FlowManifest.Step(flowType, node.Name).Transitions;
            node.TransitionCallCount = calls.Count;
            if (calls.Count > 1)
            {
                diagnostics.Add(GraphRules.MultipleTransitions.At(flow, node.Name, calls.Count));
            }
            if (calls.Count >= 1)
            {
                node.Transition = ToTransition(flow, node.Name, calls[^1], stepNames, diagnostics);
            }
        }

        foreach (var node in nodes)
        {
            node.InSteps = nodes.Where(n => n.OutSteps.Contains(node.Name)).Select(n => n.Name).ToArray();
            node.Kind = KindOf(node, nodes.Count == 1);
        }
        return new FlowGraph(flowType, nodes, diagnostics);
    }

    private static List<MethodInfo> StepMethods(Type flowType)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        var chain = new List<Type>();
        for (var t = flowType; t is not null && t != typeof(FlowSpec); t = t.BaseType)
        {
            chain.Insert(0, t);
        }
        // Base-class steps first, each class in declaration order; an override counts once, at its base declaration.
        var seen = new HashSet<MethodInfo>();
        var steps = new List<MethodInfo>();
        foreach (var method in chain.SelectMany(t => t.GetMethods(all | BindingFlags.DeclaredOnly).InDeclarationOrder()))
        {
            if (method.IsDefined(typeof(StepAttribute), inherit: true) && seen.Add(method.IsVirtual ? method.GetBaseDefinition() : method))
            {
                steps.Add(Overriding(flowType, method));
            }
        }
        if (!FlowManifest.IlIsReadable)
        {
            // No metadata tokens: the build recorded the order.
            var recorded = FlowManifest.For(flowType).Steps.Select((s, i) => (s.Name, i)).ToDictionary(s => s.Name, s => s.i, StringComparer.Ordinal);
            return [.. steps.OrderBy(m => recorded.GetValueOrDefault(m.Name, int.MaxValue))];
        }
        return steps;
    }

    private static MethodInfo Overriding(Type flowType, MethodInfo method)
    {
        if (!method.IsVirtual)
        {
            return method;
        }
        var parameterTypes = method.GetParameters().Select(p => p.ParameterType).ToArray();
        return flowType.GetMethod(method.Name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, parameterTypes) ?? method;
    }

    private static bool IsJoinSignature(MethodInfo method)
    {
        var parameters = method.GetParameters();
        return parameters.Length == 1 && IsInputsType(parameters[0].ParameterType);
    }

    private static bool IsInputsType(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Inputs<>);

    private static string? SignatureProblem(MethodInfo method, Type flowType)
    {
        if (method.IsStatic)
        {
            return "it is static";
        }
        if (!method.IsPublic)
        {
            return "it is not public";
        }
        if (method.IsGenericMethodDefinition)
        {
            return "it is generic";
        }
        if (method.ReturnType == typeof(void) && method.IsDefined(typeof(AsyncStateMachineAttribute)))
        {
            return "it is async void (Sharpflow could not wait for it); make it return Task";
        }
        if (method.ReturnType != typeof(void) && method.ReturnType != typeof(Task))
        {
            return $"it returns {method.ReturnType.Name}";
        }
        var parameters = method.GetParameters();
        if (parameters.Length == 0)
        {
            return null;
        }
        if (parameters.Length > 1 || !IsInputsType(parameters[0].ParameterType))
        {
            return $"it takes ({string.Join(", ", parameters.Select(p => p.ParameterType.Name))})";
        }
        var inputFlow = parameters[0].ParameterType.GetGenericArguments()[0];
        return inputFlow.IsAssignableFrom(flowType) ? null : $"it takes Inputs<{inputFlow.Name}>, but the flow is {flowType.Name}";
    }

    private static StepTransition? ToTransition(
        string flow, string step, TransitionCall call, HashSet<string> stepNames, List<GraphDiagnostic> diagnostics)
    {
        var targets = call.Targets;
        foreach (var unknown in targets.Where(t => !stepNames.Contains(t)).Distinct())
        {
            diagnostics.Add(GraphRules.UnknownTarget.At(flow, step, unknown, string.Join(", ", stepNames)));
        }
        if (call.Method == "Switch")
        {
            if (call.Strings.Count != targets.Count + 1)
            {
                diagnostics.Add(GraphRules.NonConstantTransition.At(flow, step,
                    "Switch(...) needs a constant condition (nameof an artifact) and a dictionary literal of constant case values mapped to steps"));
                return null;
            }
            var cases = targets.Select((t, i) => new SwitchCase(call.Strings[i + 1], t)).ToArray();
            if (cases.Length == 0)
            {
                diagnostics.Add(GraphRules.InvalidSwitchCases.At(flow, step, "the switch has no cases"));
            }
            foreach (var dup in cases.GroupBy(c => c.Value).Where(g => g.Count() > 1))
            {
                diagnostics.Add(GraphRules.InvalidSwitchCases.At(flow, step, $"case \"{dup.Key}\" is listed {dup.Count()} times"));
            }
            return StepTransition.Switch(call.Strings[0], cases);
        }
        if (call.ParameterCount == 2)
        {
            if (targets.Count != 1 || call.Strings.Count == 0)
            {
                diagnostics.Add(GraphRules.NonConstantTransition.At(flow, step,
                    "Next(step, forEach: ...) needs one step method group and a constant artifact name (nameof(...))"));
                return null;
            }
            return StepTransition.Foreach(targets[0], call.Strings[^1]);
        }
        if (targets.Count == 0)
        {
            diagnostics.Add(GraphRules.NonConstantTransition.At(flow, step, "Next(...) is not given step method groups"));
            return null;
        }
        return targets.Count == 1 ? StepTransition.Linear(targets[0]) : StepTransition.Branch(targets);
    }

    private static StepKind KindOf(StepNode node, bool singleStep)
    {
        if (node.IsJoin)
        {
            return StepKind.Join;
        }
        if (node.Name == FlowGraphNames.End || (singleStep && node.Transition is null))
        {
            return StepKind.End;
        }
        return node.Transition?.Kind switch
        {
            TransitionKind.Branch => StepKind.Branch,
            TransitionKind.Foreach => StepKind.Foreach,
            TransitionKind.Switch => StepKind.Switch,
            _ => node.Name == FlowGraphNames.Start ? StepKind.Start : StepKind.Linear,
        };
    }
}
