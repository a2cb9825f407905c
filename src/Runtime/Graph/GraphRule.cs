namespace Sharpflow.Graph;

/// <summary>How serious a graph diagnostic is.</summary>
public enum RuleSeverity
{
    /// <summary>The flow cannot run.</summary>
    Error,
    /// <summary>The flow runs, but probably not as intended.</summary>
    Warning,
    /// <summary>Worth knowing (for example, a GPU step that will run locally); nothing is wrong.</summary>
    Information,
}

/// <summary>
/// A graph rule, declared once as data and reported by the runtime's validation, <c>check</c>, and the language server.
/// <see cref="MessageFormat"/> takes <c>{0}</c> = flow, <c>{1}</c> = step, then rule-specific arguments.
/// </summary>
/// <param name="Id">Stable id, e.g. <c>SF0004</c>.</param>
/// <param name="Name">Short kebab-case name, e.g. <c>missing-transition</c>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="MessageFormat">The message, with the fix.</param>
public sealed record GraphRule(string Id, string Name, RuleSeverity Severity, string MessageFormat)
{
    /// <summary>Creates a diagnostic of this rule for a step of a flow.</summary>
    public GraphDiagnostic At(string flow, string? step, params object?[] args) =>
        new(this, flow, step, string.Format(System.Globalization.CultureInfo.InvariantCulture, MessageFormat, [flow, step, .. args]));
}
