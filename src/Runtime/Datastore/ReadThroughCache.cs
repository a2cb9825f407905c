namespace Sharpflow.Datastore;

/// <summary>
/// A local disk cache in front of a remote store for content-addressed blobs (<c>Flow/data/hh/hash</c>): their bytes
/// never change, so a cached copy is never stale and a notebook that re-reads the artifacts of a remote run pays the
/// transfer once. Metadata records (which do change) always go to the remote store. Cached files are written to a
/// temporary name and renamed, like the local store's blobs.
/// </summary>
public sealed class ReadThroughCache(IBlobStore remote, string folder) : IBlobStore
{
    /// <summary>The environment variable that moves the cache (default: <c>~/.cache/sharpflow/blobs</c>).</summary>
    public const string FolderVariable = "SHARPFLOW_BLOB_CACHE";

    /// <summary>The default cache folder.</summary>
    public static string DefaultFolder => Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured ? configured
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sharpflow", "blobs");

    /// <inheritdoc />
    public string Location => remote.Location;

    /// <inheritdoc />
    public Task SaveAsync(IReadOnlyList<BlobWrite> blobs, CancellationToken cancellationToken = default) => remote.SaveAsync(blobs, cancellationToken);

    /// <inheritdoc />
    public Task<bool> TryCreateAsync(BlobWrite blob, CancellationToken cancellationToken = default) => remote.TryCreateAsync(blob, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<byte[]?>> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var results = new byte[]?[keys.Count];
        var missing = new List<int>();
        for (var i = 0; i < keys.Count; i++)
        {
            var cached = CachePath(keys[i]);
            if (cached is not null && File.Exists(cached))
            {
                results[i] = await File.ReadAllBytesAsync(cached, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                missing.Add(i);
            }
        }
        if (missing.Count > 0)
        {
            var fetched = await remote.LoadAsync(missing.Select(i => keys[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < missing.Count; j++)
            {
                results[missing[j]] = fetched[j];
                if (fetched[j] is { } bytes && CachePath(keys[missing[j]]) is { } path)
                {
                    await StoreAsync(path, bytes, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        return results;
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var cached = CachePath(key);
        if (cached is null)
        {
            return await remote.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        if (!File.Exists(cached))
        {
            var source = await remote.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            if (source is null)
            {
                return null;
            }
            await using (source.ConfigureAwait(false))
            {
                var temporary = $"{cached}.{Guid.NewGuid():N}.tmp";
                Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
                await using (var file = File.Create(temporary))
                {
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
                File.Move(temporary, cached, overwrite: true);
            }
        }
        return File.OpenRead(cached);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<bool>> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var cached = keys.Select(k => CachePath(k) is { } path && File.Exists(path)).ToArray();
        var unknown = Enumerable.Range(0, keys.Count).Where(i => !cached[i]).ToArray();
        if (unknown.Length > 0)
        {
            var remoteAnswers = await remote.ExistsAsync(unknown.Select(i => keys[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < unknown.Length; j++)
            {
                cached[unknown[j]] = remoteAnswers[j];
            }
        }
        return cached;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) => remote.ListAsync(prefix, cancellationToken);

    /// <summary>Where a content-addressed blob is cached (the remote location is part of the path), or null for other keys.</summary>
    private string? CachePath(string key) => DatastoreLayout.IsContentAddressed(key)
        ? Path.Combine(folder, Convert.ToHexString(System.IO.Hashing.XxHash64.Hash(System.Text.Encoding.UTF8.GetBytes(remote.Location))), key)
        : null;

    private static async Task StoreAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
