using System.Collections.Concurrent;
using Sharpflow.Datastore;

namespace Sharpflow.Tests;

/// <summary>A real blob store (local by default) that also counts which keys were loaded (to prove what a read touches).</summary>
public sealed class CountingBlobStore(IBlobStore inner) : IBlobStore
{
    private readonly IBlobStore _inner = inner;

    public CountingBlobStore(string root)
        : this(new LocalBlobStore(root))
    {
    }

    public ConcurrentBag<string> Loaded { get; } = [];

    public string Location => _inner.Location;

    /// <summary>Keys whose writes fail with an IOException, as a datastore refusing them would (null: none).</summary>
    public Func<string, bool>? RefuseWrites { get; init; }

    /// <summary>Every key written, once per write.</summary>
    public ConcurrentQueue<string> Saved { get; } = [];

    public Task SaveAsync(IReadOnlyList<BlobWrite> blobs, CancellationToken cancellationToken = default)
    {
        if (RefuseWrites is { } refuse && blobs.Select(b => b.Key).FirstOrDefault(refuse) is { } refused)
        {
            throw new IOException($"the datastore refused to write {refused}");
        }
        foreach (var blob in blobs)
        {
            Saved.Enqueue(blob.Key);
        }
        return _inner.SaveAsync(blobs, cancellationToken);
    }

    public Task<bool> TryCreateAsync(BlobWrite blob, CancellationToken cancellationToken = default) => _inner.TryCreateAsync(blob, cancellationToken);

    public Task<IReadOnlyList<byte[]?>> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        foreach (var key in keys)
        {
            Loaded.Add(key);
        }
        return _inner.LoadAsync(keys, cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        Loaded.Add(key);
        return _inner.OpenReadAsync(key, cancellationToken);
    }

    public Task<IReadOnlyList<bool>> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) => _inner.ExistsAsync(keys, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) => _inner.ListAsync(prefix, cancellationToken);
}
