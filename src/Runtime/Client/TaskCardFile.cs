using System.Text;
using Sharpflow.Datastore;

namespace Sharpflow.Client;

/// <summary>A stored card of a task: its id and its self-contained HTML (read when asked for).</summary>
[Formatting.TypeFormatterSource(typeof(Formatting.NotebookFormatterSource))]
public sealed class TaskCardFile
{
    private readonly IBlobStore _store;
    private readonly string _key;

    internal TaskCardFile(IBlobStore store, string key, string id)
    {
        _store = store;
        _key = key;
        Id = id;
    }

    /// <summary>The card's id.</summary>
    public string Id { get; }

    /// <summary>The card's HTML.</summary>
    public string Html => ClientContext.Wait(_store.LoadAsync([_key]))[0] is { } bytes ? Encoding.UTF8.GetString(bytes)
        : throw new FileNotFoundException($"Card '{Id}' is no longer in the datastore at {_store.Location}/{_key}.");

    /// <summary>Writes the card to <paramref name="path"/> (an HTML file that opens offline in any browser).</summary>
    public void Save(string path) => File.WriteAllText(path, Html);
}
