using System.Collections.Concurrent;
using Sharpflow.Artifacts;
using Sharpflow.Datastore;
using Sharpflow.Metadata;

namespace Sharpflow.Client;

/// <summary>The stores and settings shared by the client objects of one <see cref="Flow"/>.</summary>
internal sealed class ClientContext
{
    private readonly ConcurrentDictionary<string, ArtifactStore> _artifacts = new(StringComparer.Ordinal);
    private readonly BlobCache _cache = new(64L << 20);

    public ClientContext(ClientOptions options)
    {
        Options = options;
        Store = options.BlobStore ?? DatastoreLocation.Open(options.DatastoreRoot);
        Metadata = new MetadataStore(Store);
        Codec = new ArtifactCodec(options.Serializers ?? new SerializerRegistry());
    }

    public ClientOptions Options { get; }

    public IBlobStore Store { get; }

    public MetadataStore Metadata { get; }

    public ArtifactCodec Codec { get; }

    public ArtifactStore ArtifactsOf(string flow) =>
        _artifacts.GetOrAdd(flow, f => new ArtifactStore(new ContentAddressedStore(Store, f, _cache), Codec, f));

    /// <summary>Reports a warning where <see cref="ClientOptions.OnWarning"/> says (stderr by default).</summary>
    public void Warn(string message)
    {
        if (Options.OnWarning is { } warn)
        {
            warn(message);
        }
        else
        {
            Console.Error.WriteLine($"warning: {message}");
        }
    }

    /// <summary>
    /// Reads one record; a damaged one (truncated, not JSON) is reported as a warning naming it and read as null, so
    /// one bad file does not hide every other run or task.
    /// </summary>
    public T? ReadOrWarn<T>(Func<Task<T?>> read, string what) where T : class
    {
        try
        {
            return Wait(read());
        }
        catch (InvalidDataException e)
        {
            Warn($"{what} is skipped: {e.Message}");
            return null;
        }
    }

    /// <summary>Waits for a datastore call; the local store completes synchronously, remote stores block the caller.</summary>
    public static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
