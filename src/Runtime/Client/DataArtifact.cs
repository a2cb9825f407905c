using Sharpflow.Artifacts;
using Sharpflow.Metadata;

namespace Sharpflow.Client;

/// <summary>One artifact of a task. Its value is read from the datastore only when asked for, as a fresh copy each time.</summary>
[Formatting.TypeFormatterSource(typeof(Formatting.NotebookFormatterSource))]
public sealed class DataArtifact
{
    private readonly ArtifactStore _store;
    private readonly FlowTask _task;

    internal DataArtifact(ArtifactStore store, FlowTask task, string name, ArtifactEntry entry)
    {
        _store = store;
        _task = task;
        Name = name;
        Entry = entry;
    }

    /// <summary>The artifact's name.</summary>
    public string Name { get; }

    /// <summary>The stored entry: hash, serializer, type and size.</summary>
    public ArtifactEntry Entry { get; }

    /// <summary>The stored .NET type name.</summary>
    public string TypeName => Entry.Type;

    /// <summary>The raw (uncompressed) size in bytes.</summary>
    public long Size => Entry.Size;

    /// <summary>The content hash (equal hashes mean equal values).</summary>
    public string Hash => Entry.Hash;

    /// <summary><c>Flow/RunId/Step/TaskId/Name</c>.</summary>
    public string Pathspec => $"{_task.Pathspec}/{Name}";

    /// <summary>The value as <typeparamref name="T"/>.</summary>
    public T Get<T>() => (T)Load(typeof(T))!;

    /// <summary>The value as <typeparamref name="T"/>, read asynchronously.</summary>
    public async Task<T> GetAsync<T>(CancellationToken cancellationToken = default) =>
        (T)(await _store.LoadValueAsync(_task.Step.Name, Name, Entry, typeof(T), cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// The value as its stored type, or as a JSON document (<see cref="System.Text.Json.JsonElement"/>) when that type is not
    /// loaded in this process (or, in a native AOT process, is not a primitive, an array of them or a string).
    /// </summary>
    public object? Value => Load(null);

    private object? Load(Type? type) => ClientContext.Wait(_store.LoadValueAsync(_task.Step.Name, Name, Entry, type, CancellationToken.None));

    /// <inheritdoc />
    public override string ToString() => $"DataArtifact('{Pathspec}', {TypeName}, {Size} bytes)";
}
