using System.Text;

namespace Sharpflow.Graph;

/// <summary>Renders a flow graph as text, one block per step, as <c>show</c> prints it.</summary>
public static class GraphTextRenderer
{
    /// <summary>The graph as text: each step, in the order a run reaches it, with its kind, description and where it goes next.</summary>
    public static string Render(FlowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder();
        text.AppendLine($"Flow {graph.FlowName}");
        foreach (var step in graph.InRunOrder)
        {
            text.AppendLine();
            text.AppendLine($"Step {step.Name} ({step.Kind.ToString().ToLowerInvariant()}{(step.IsAsync ? ", async" : "")})");
            if (StepDocumentation.Of(graph.FlowType, step.Method) is { Length: > 0 } description)
            {
                text.AppendLine($"    {description}");
            }
            var next = step.Transition switch
            {
                null => null,
                { Kind: TransitionKind.Foreach } t => $"{t.Targets[0]} for each item of {t.ForeachVariable}",
                { Kind: TransitionKind.Switch } t => $"switch on {t.SwitchCondition}: "
                    + string.Join(", ", (t.SwitchCases ?? []).Select(c => $"{c.Value} -> {c.Step}")),
                { } t => string.Join(", ", t.Targets),
            };
            if (next is not null)
            {
                text.AppendLine($"    => {next}");
            }
        }
        return text.ToString();
    }
}
