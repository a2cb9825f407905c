namespace Sharpflow.Graph;

/// <summary>A rule broken by a flow, naming the flow, the step (when the problem belongs to one) and the fix.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Flow">The flow's name.</param>
/// <param name="Step">The step at fault, or null for flow-level problems.</param>
/// <param name="Message">The full message, ending with how to fix it.</param>
public sealed record GraphDiagnostic(GraphRule Rule, string Flow, string? Step, string Message)
{
    /// <summary>True for errors (the flow cannot run).</summary>
    public bool IsError => Rule.Severity == RuleSeverity.Error;

    /// <summary>"error", "warning" or "info", as compilers print it.</summary>
    public string SeverityName => Rule.Severity switch { RuleSeverity.Error => "error", RuleSeverity.Warning => "warning", _ => "info" };

    /// <inheritdoc />
    public override string ToString() =>
        $"{SeverityName} {Rule.Id} ({Rule.Name}): {Message}";
}
