namespace Sharpflow.Artifacts;

/// <summary>One artifact value in serialized form: its bytes, the serializer that wrote them and its .NET type name.</summary>
public readonly record struct EncodedArtifact(ReadOnlyMemory<byte> Data, string Serializer, string TypeName);

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
            return new EncodedArtifact(serializer.Serialize(value, type), serializer.Id, typeName);
        }
        catch (OutOfMemoryException e)
        {
            // Too large to hold serialized (one artifact is at most 2 GB, a .NET buffer limit), or the process ran out.
            throw new ArtifactSerializationException(flow, step, artifact, typeName,
                $"Flow '{flow}', step '{step}': artifact '{artifact}' of type '{type.FullName}' is too large to save with the '{serializer.Id}' serializer: {e.Message} "
                + "One artifact holds at most 2 GB: split it into several artifacts (e.g. chunks of a list), or give the process more memory.", e);
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
