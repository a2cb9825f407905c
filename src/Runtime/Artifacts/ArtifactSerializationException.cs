namespace Sharpflow.Artifacts;

/// <summary>An artifact could not be saved or loaded; the message names the flow, step, artifact, type and the fix.</summary>
public sealed class ArtifactSerializationException(string flow, string step, string artifact, string typeName, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The flow's name.</summary>
    public string Flow { get; } = flow;

    /// <summary>The step whose task saved or loaded the artifact.</summary>
    public string Step { get; } = step;

    /// <summary>The artifact's name.</summary>
    public string Artifact { get; } = artifact;

    /// <summary>The artifact's .NET type.</summary>
    public string TypeName { get; } = typeName;
}
