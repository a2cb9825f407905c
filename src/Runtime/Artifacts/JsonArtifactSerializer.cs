using System.Text.Json;

namespace Sharpflow.Artifacts;

/// <summary>System.Text.Json for records, POCOs, collections, enums and other plain data (public fields included).</summary>
public sealed class JsonArtifactSerializer : IArtifactSerializer
{
    private static JsonSerializerOptions Options => DataJson.Options;

    /// <inheritdoc />
    public string Id => "json";

    /// <inheritdoc />
    public bool CanSerialize(Type type) => ArtifactTypePolicy.WhyNotSerializable(type) is null;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Serialize(object value, Type type) => JsonSerializer.SerializeToUtf8Bytes(value, type, Options);

    /// <inheritdoc />
    public object? Deserialize(ReadOnlyMemory<byte> data, Type type) => JsonSerializer.Deserialize(data.Span, type, Options);
}
