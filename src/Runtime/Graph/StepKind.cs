namespace Sharpflow.Graph;

/// <summary>A step's role in the graph, as Metaflow names them.</summary>
public enum StepKind
{
    /// <summary>The first step.</summary>
    Start,
    /// <summary>One parent, one child.</summary>
    Linear,
    /// <summary>Starts a static branch.</summary>
    Branch,
    /// <summary>Starts a foreach.</summary>
    Foreach,
    /// <summary>Picks one of several next steps from an artifact's value.</summary>
    Switch,
    /// <summary>Takes <see cref="Inputs{TFlow}"/>: closes the innermost branch or foreach.</summary>
    Join,
    /// <summary>The last step.</summary>
    End,
}
