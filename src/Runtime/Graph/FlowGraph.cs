namespace Sharpflow.Graph;

/// <summary>The steps of a flow and their transitions, known before any step runs.</summary>
[Formatting.TypeFormatterSource(typeof(Formatting.NotebookFormatterSource))]
public sealed class FlowGraph
{
    private readonly Dictionary<string, StepNode> _byName;

    internal FlowGraph(Type flowType, IReadOnlyList<StepNode> steps, IReadOnlyList<GraphDiagnostic> extractionDiagnostics)
    {
        FlowType = flowType;
        Steps = steps;
        _byName = steps.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        ExtractionDiagnostics = extractionDiagnostics;
    }

    /// <summary>The flow's name (its class name).</summary>
    public string FlowName => FlowType.Name;

    /// <summary>The flow's type.</summary>
    public Type FlowType { get; }

    /// <summary>The steps in declaration order.</summary>
    public IReadOnlyList<StepNode> Steps { get; }

    /// <summary>
    /// The steps in the order a run reaches them: breadth-first from the start step along each step's transitions, then
    /// any step no transition reaches, in declaration order (declaration order puts a base class's steps first).
    /// </summary>
    public IReadOnlyList<StepNode> InRunOrder
    {
        get
        {
            var order = new List<StepNode>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<StepNode>(StartStep is { } start ? [start] : []);
            while (queue.TryDequeue(out var step))
            {
                if (!seen.Add(step.Name))
                {
                    continue;
                }
                order.Add(step);
                foreach (var next in step.Transition?.Targets ?? [])
                {
                    if (Find(next) is { } target)
                    {
                        queue.Enqueue(target);
                    }
                }
            }
            return [.. order, .. Steps.Where(s => !seen.Contains(s.Name))];
        }
    }

    /// <summary>Problems found while reading the steps' bodies (reported by validation together with the graph rules).</summary>
    public IReadOnlyList<GraphDiagnostic> ExtractionDiagnostics { get; }

    /// <summary>The first step: <c>Start</c>, or the only step of a single-step flow.</summary>
    public StepNode? StartStep => Steps.Count == 1 ? Steps[0] : Find(FlowGraphNames.Start);

    /// <summary>The last step: <c>End</c>, or the only step of a single-step flow.</summary>
    public StepNode? EndStep => Steps.Count == 1 ? Steps[0] : Find(FlowGraphNames.End);

    /// <summary>The step with this exact name, or null.</summary>
    public StepNode? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The step with this name; exact match first, then case-insensitive (so <c>start</c> finds <c>Start</c>).</summary>
    public StepNode? Resolve(string name) =>
        Find(name) ?? Steps.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every step from which the graph reaches <paramref name="step"/> (its ancestors; itself only when it is in a loop).</summary>
    public IReadOnlySet<string> Ancestors(string step)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Find(step)?.InSteps ?? []);
        while (pending.TryPop(out var current))
        {
            if (seen.Add(current))
            {
                foreach (var parent in Find(current)?.InSteps ?? [])
                {
                    pending.Push(parent);
                }
            }
        }
        return seen;
    }

    /// <summary>The step with this name, or an exception that lists the flow's steps.</summary>
    public StepNode this[string name] => Resolve(name) ?? throw new KeyNotFoundException(
        $"Flow '{FlowName}' has no step '{name}'. Its steps are: {string.Join(", ", Steps.Select(s => s.Name))}.");
}

/// <summary>Well-known step names.</summary>
public static class FlowGraphNames
{
    /// <summary>The first step of a flow.</summary>
    public const string Start = "Start";

    /// <summary>The last step of a flow.</summary>
    public const string End = "End";
}
