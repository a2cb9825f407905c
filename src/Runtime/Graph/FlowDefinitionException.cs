namespace Sharpflow.Graph;

/// <summary>The flow's graph breaks one or more rules; the message lists each with its fix.</summary>
public sealed class FlowDefinitionException(string flow, IReadOnlyList<GraphDiagnostic> diagnostics)
    : Exception($"Flow '{flow}' is not valid:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics.Select(d => "  " + d))}")
{
    /// <summary>The rules the flow breaks.</summary>
    public IReadOnlyList<GraphDiagnostic> Diagnostics { get; } = diagnostics;
}
