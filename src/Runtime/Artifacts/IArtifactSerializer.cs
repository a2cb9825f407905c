namespace Sharpflow.Artifacts;

/// <summary>
/// Turns artifact values of some types into bytes and back. Register your own with
/// <see cref="ArtifactSerializerAttribute"/> on the flow (and <see cref="SerializerRegistry.Register"/> for the Client API).
/// </summary>
public interface IArtifactSerializer
{
    /// <summary>A short stable id stored with every artifact it writes (e.g. <c>raw</c>, <c>json</c>).</summary>
    string Id { get; }

    /// <summary>True when this serializer handles values of <paramref name="type"/>.</summary>
    bool CanSerialize(Type type);

    /// <summary>The bytes of <paramref name="value"/> (of runtime type <paramref name="type"/>).</summary>
    ReadOnlyMemory<byte> Serialize(object value, Type type);

    /// <summary>A new value of <paramref name="type"/> read from <paramref name="data"/>.</summary>
    object? Deserialize(ReadOnlyMemory<byte> data, Type type);
}
