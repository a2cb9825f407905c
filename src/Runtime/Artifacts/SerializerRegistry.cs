namespace Sharpflow.Artifacts;

/// <summary>
/// Picks the serializer for each artifact type: user-registered serializers first (in registration order), then the
/// raw binary fast path, exceptions (as their type, message and stack trace), then System.Text.Json.
/// </summary>
public sealed class SerializerRegistry
{
    private readonly List<IArtifactSerializer> _user = [];
    private readonly IArtifactSerializer[] _builtIn = [new RawBinarySerializer(), new ExceptionArtifactSerializer(), new JsonArtifactSerializer()];

    /// <summary>A registry with only the built-in serializers.</summary>
    public SerializerRegistry()
    {
    }

    /// <summary>A registry with the serializers a flow type declares with <see cref="ArtifactSerializerAttribute"/>.</summary>
    public static SerializerRegistry ForFlow(Type flowType)
    {
        var registry = new SerializerRegistry();
        foreach (var attribute in flowType.GetCustomAttributes(typeof(ArtifactSerializerAttribute), true).Cast<ArtifactSerializerAttribute>())
        {
            if (!typeof(IArtifactSerializer).IsAssignableFrom(attribute.SerializerType) || attribute.SerializerType.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new InvalidOperationException(
                    $"Flow '{flowType.Name}': [ArtifactSerializer(typeof({attribute.SerializerType.Name}))] must name a class implementing IArtifactSerializer with a public parameterless constructor.");
            }
            registry.Register((IArtifactSerializer)Activator.CreateInstance(attribute.SerializerType)!);
        }
        return registry;
    }

    /// <summary>Adds a serializer that is consulted before the built-in ones; returns this registry.</summary>
    public SerializerRegistry Register(IArtifactSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _user.Add(serializer);
        return this;
    }

    /// <summary>The serializer for values of <paramref name="type"/>, or null when none can save it.</summary>
    public IArtifactSerializer? Find(Type type) => _user.Concat(_builtIn).FirstOrDefault(s => s.CanSerialize(type));

    /// <summary>The serializer with this id, or an error saying which serializer to register.</summary>
    public IArtifactSerializer Get(string id) => _user.Concat(_builtIn).FirstOrDefault(s => s.Id == id)
        ?? throw new InvalidOperationException(
            $"No serializer with id '{id}' is registered. The artifact was written by a user serializer: register it (SerializerRegistry.Register or ClientOptions.Serializers) to read it.");
}
