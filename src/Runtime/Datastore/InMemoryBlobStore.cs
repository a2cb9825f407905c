using System.Collections.Concurrent;

namespace Sharpflow.Datastore;

/// <summary>A blob store in memory: for throw-away runs (spin without persisting) and embedding.</summary>
public sealed class InMemoryBlobStore : IBlobStore
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Location => "memory:";

    /// <inheritdoc />
    public Task SaveAsync(IReadOnlyList<BlobWrite> blobs, CancellationToken cancellationToken = default)
    {
        foreach (var blob in blobs)
        {
            _blobs[blob.Key] = Concat(blob);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> TryCreateAsync(BlobWrite blob, CancellationToken cancellationToken = default) => Task.FromResult(_blobs.TryAdd(blob.Key, Concat(blob)));

    /// <inheritdoc />
    public Task<IReadOnlyList<byte[]?>> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<byte[]?>>(keys.Select(k => _blobs.TryGetValue(k, out var data) ? data : null).ToArray());

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream?>(_blobs.TryGetValue(key, out var data) ? new MemoryStream(data, writable: false) : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<bool>> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<bool>>(keys.Select(_blobs.ContainsKey).ToArray());

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var start = prefix.Length == 0 ? "" : prefix + "/";
        var names = _blobs.Keys.Where(k => k.StartsWith(start, StringComparison.Ordinal))
            .Select(k => k[start.Length..].Split('/')[0])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
        return Task.FromResult<IReadOnlyList<string>>(names);
    }

    private static byte[] Concat(BlobWrite blob)
    {
        var data = new byte[blob.Length];
        blob.Header.Span.CopyTo(data);
        blob.Data.Span.CopyTo(data.AsSpan(blob.Header.Length));
        return data;
    }
}
