using Sharpflow.Artifacts;
using Sharpflow.Datastore;
using Sharpflow.Execution;

namespace Sharpflow.Client;

/// <summary>Where the Client API reads from and which namespace it sees.</summary>
public sealed record ClientOptions
{
    /// <summary>The local datastore root; null means <c>SHARPFLOW_DATASTORE_ROOT</c> or <c>.sharpflow/</c> in the working directory.</summary>
    public string? DatastoreRoot { get; init; }

    /// <summary>A blob store to read instead of the local one; wins over <see cref="DatastoreRoot"/>.</summary>
    public IBlobStore? BlobStore { get; init; }

    /// <summary>
    /// The namespace whose runs are visible: by default <c>user:&lt;you&gt;</c>; any tag works (e.g. <c>production</c>);
    /// null is the global view (every run).
    /// </summary>
    public string? Namespace { get; init; } = UserIdentity.NamespaceOf(UserIdentity.Current());

    /// <summary>Serializers for artifacts written by user serializers; null means the built-in ones.</summary>
    public SerializerRegistry? Serializers { get; init; }

    /// <summary>
    /// Where warnings go: a damaged run or task record that is skipped so the others stay readable, say. Null writes
    /// them to stderr (never stdout, which may carry a program's output or a protocol).
    /// </summary>
    public Action<string>? OnWarning { get; init; }

    /// <summary>Options that see every run (the global namespace).</summary>
    public static ClientOptions Global => new() { Namespace = null };
}
