namespace Sharpflow.Artifacts;

/// <summary>
/// One artifact value in serialized form: its bytes, the serializer that wrote them and its .NET type name. A primitive
/// array too large for one buffer is given as <see cref="Chunks"/> instead (slices of its memory, no copy), and
/// <see cref="Data"/> is empty.
/// </summary>
public readonly record struct EncodedArtifact(ReadOnlyMemory<byte> Data, string Serializer, string TypeName)
{
    /// <summary>The value's bytes in consecutive chunks, for a value stored as several blobs; null for one blob.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Chunks { get; init; }

    /// <summary>The number of bytes of the value, in one buffer or across its chunks.</summary>
    public long Length => Chunks?.Sum(c => (long)c.Length) ?? Data.Length;

    /// <summary>
    /// The content hash of the value: its blob's hash, or for a chunked value the hash of its chunks' hashes
    /// (<see cref="Datastore.BlobCodec.HashOfChunks"/>), so equal values always compare equal.
    /// </summary>
    public string ContentHash() => Chunks is { } chunks
        ? Datastore.BlobCodec.HashOfChunks(chunks.Select(c => Datastore.BlobCodec.Hash(c.Span)).ToArray())
        : Datastore.BlobCodec.Hash(Data.Span);
}

/// <summary>Encodes artifact values with a <see cref="SerializerRegistry"/>, turning failures into errors that say what to do.</summary>
public sealed class ArtifactCodec(SerializerRegistry registry)
{
    /// <summary>The serializer id used for null values (stored as an empty blob).</summary>
    public const string NullSerializer = "null";

    /// <summary>The registry in use.</summary>
    public SerializerRegistry Registry => registry;

    /// <summary>Serializes the value of artifact <paramref name="artifact"/> of a task of <paramref name="flow"/>/<paramref name="step"/>.</summary>
    public EncodedArtifact Encode(string flow, string step, string artifact, object? value)
    {
        if (value is null)
        {
            return new EncodedArtifact(ReadOnlyMemory<byte>.Empty, NullSerializer, "null");
        }
        var type = value.GetType();
        var typeName = TypeNames.Of(type);
        var serializer = registry.Find(type) ?? throw new ArtifactSerializationException(flow, step, artifact, typeName,
            $"Flow '{flow}', step '{step}': artifact '{artifact}' of type '{type.FullName}' cannot be saved: "
            + $"{ArtifactTypePolicy.WhyNotSerializable(type) ?? "no serializer handles it"}. "
            + $"Mark the member [Transient] if it should not be persisted, or register a serializer for the type with [ArtifactSerializer(typeof(...))] on the flow.");
        try
        {
            if (serializer is RawBinarySerializer && RawBinarySerializer.ChunksOf(value) is { } chunks)
            {
                return new EncodedArtifact(ReadOnlyMemory<byte>.Empty, serializer.Id, typeName) { Chunks = chunks };
            }
            return new EncodedArtifact(serializer.Serialize(value, type), serializer.Id, typeName);
        }
        catch (OutOfMemoryException e)
        {
            // Too large to hold serialized (a serialized form is one .NET buffer of at most 2 GB), or the process ran out.
            throw new ArtifactSerializationException(flow, step, artifact, typeName,
                $"Flow '{flow}', step '{step}': artifact '{artifact}' of type '{type.FullName}' is too large to save with the '{serializer.Id}' serializer: {e.Message} "
                + "A serialized artifact holds at most 2 GB (primitive arrays have no such limit): split it into several artifacts (e.g. chunks of a list), use a primitive array, or give the process more memory.", e);
        }
        catch (Exception e)
        {
            throw new ArtifactSerializationException(flow, step, artifact, typeName,
                $"Flow '{flow}', step '{step}': artifact '{artifact}' of type '{type.FullName}' cannot be saved by the '{serializer.Id}' serializer: {e.Message} "
                + "Mark the member [Transient] if it should not be persisted, or register a serializer for the type with [ArtifactSerializer(typeof(...))] on the flow.", e);
        }
    }

    /// <summary>
    /// Reads an artifact back as <paramref name="targetType"/>, or as its stored type when that is null (falling back to
    /// a JSON document when the stored type is not loaded in this process).
    /// </summary>
    public object? Decode(string flow, string step, string artifact, string serializerId, string typeName, ReadOnlyMemory<byte> data, Type? targetType)
    {
        if (serializerId == NullSerializer)
        {
            return null;
        }
        var stored = TypeNames.Resolve(typeName);
        var type = stored is not null && (targetType is null || targetType.IsAssignableFrom(stored)) && (serializerId != "json" || DataJson.Supports(stored)) ? stored
            : targetType ?? (serializerId == "json" ? typeof(System.Text.Json.JsonElement) : null);
        if (type is null)
        {
            throw new ArtifactSerializationException(flow, step, artifact, typeName,
                $"Flow '{flow}', step '{step}': artifact '{artifact}' has type '{typeName}', which is not loaded in this process. Load its assembly or ask for it with Get<T>().");
        }
        try
        {
            return registry.Get(serializerId).Deserialize(data, type);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not ArtifactSerializationException)
        {
            throw new ArtifactSerializationException(flow, step, artifact, typeName,
                $"Flow '{flow}', step '{step}': artifact '{artifact}' (stored as '{typeName}' by '{serializerId}') cannot be read as '{type.FullName}': {e.Message}", e);
        }
    }
}
