namespace Sharpflow;

/// <summary>
/// Registers a user serializer (a type implementing <see cref="Artifacts.IArtifactSerializer"/> with a public
/// parameterless constructor) for the artifacts of this flow. It is consulted before the built-in serializers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class ArtifactSerializerAttribute(Type serializerType) : Attribute
{
    /// <summary>The serializer type.</summary>
    public Type SerializerType { get; } = serializerType;
}
