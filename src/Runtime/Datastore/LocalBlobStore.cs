namespace Sharpflow.Datastore;

/// <summary>A blob store on the local disk: one file per key under a root folder, written atomically (temp file + rename).</summary>
public sealed class LocalBlobStore : IBlobStore
{
    /// <summary>How many folders <see cref="_folders"/> holds before it forgets them all (a bound on its memory in a wide foreach).</summary>
    private const int RememberedFolders = 4096;

    private readonly string _root;

    /// <summary>Names this store's temp files apart from other writers' (processes, hosts on a shared disk); a counter does within it.</summary>
    private readonly string _writer = Guid.NewGuid().ToString("N")[..12];

    private long _written;

    private int _rememberedFolders;

    /// <summary>
    /// Folders this store made sure of lately: a write into one needs no folder call. A new folder is created before the
    /// first write into it, not found missing by a failed write (an exception per new task folder).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _folders = new(StringComparer.Ordinal);

    /// <summary>Creates a store rooted at <paramref name="root"/> (created on first write).</summary>
    public LocalBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
    }

    /// <inheritdoc />
    public string Location => _root;

    /// <inheritdoc />
    public Task SaveAsync(IReadOnlyList<BlobWrite> blobs, CancellationToken cancellationToken = default)
    {
        foreach (var blob in blobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = PathOf(blob.Key);
            var temp = WriteTemp(path, blob);
            File.Move(temp, path, overwrite: true);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> TryCreateAsync(BlobWrite blob, CancellationToken cancellationToken = default)
    {
        var path = PathOf(blob.Key);
        var temp = WriteTemp(path, blob);
        try
        {
            File.Move(temp, path, overwrite: false);
            return Task.FromResult(true);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return Task.FromResult(false);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<byte[]?>> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var result = new byte[]?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result[i] = ReadIfExists(PathOf(keys[i]));
        }
        return Task.FromResult<IReadOnlyList<byte[]?>>(result);
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<bool>> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<bool>>(keys.Select(k => File.Exists(PathOf(k))).ToArray());

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var dir = PathOf(prefix);
        if (!Directory.Exists(dir))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
        var names = Directory.EnumerateFileSystemEntries(dir)
            .Select(Path.GetFileName)
            .Where(n => n is not null && !n.StartsWith(".tmp-", StringComparison.Ordinal))
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return Task.FromResult<IReadOnlyList<string>>(names);
    }

    private static byte[]? ReadIfExists(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string WriteTemp(string path, BlobWrite blob)
    {
        var dir = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(dir, $".tmp-{Path.GetFileName(path)}-{_writer}-{Interlocked.Increment(ref _written)}");
        try
        {
            using var stream = CreateNew(temp, dir);
            stream.Write(blob.Header.Span);
            stream.Write(blob.Data.Span);
        }
        catch
        {
            File.Delete(temp); // a failed write (disk full) leaves nothing behind
            throw;
        }
        return temp;
    }

    /// <summary>Creates the file, and its folder first unless this store made sure of it lately.</summary>
    private FileStream CreateNew(string path, string dir)
    {
        EnsureFolder(dir);
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(dir); // removed since this store made sure of it (a deleted run): create it again
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        }
    }

    /// <summary>
    /// Creates a folder this store has not made sure of lately, its parent first: a new task's folder and the metadata
    /// folder in it are two calls, where creating the inner one first fails and then walks back up.
    /// </summary>
    private void EnsureFolder(string dir)
    {
        if (_folders.ContainsKey(dir))
        {
            return;
        }
        if (Path.GetDirectoryName(dir) is { } parent && parent.Length > _root.Length)
        {
            EnsureFolder(parent);
        }
        Directory.CreateDirectory(dir);
        if (_folders.TryAdd(dir, 0) && Interlocked.Increment(ref _rememberedFolders) > RememberedFolders)
        {
            _folders.Clear(); // (ConcurrentDictionary.Count would take all its locks on every new folder)
            Interlocked.Exchange(ref _rememberedFolders, 0);
        }
    }

    private string PathOf(string key)
    {
        if (key.Length > 0 && (key.StartsWith('/') || key.Split('/').Any(part => part is "" or "." or "..")))
        {
            throw new ArgumentException($"Invalid datastore key '{key}': keys are relative paths without empty, '.' or '..' parts.", nameof(key));
        }
        return key.Length == 0 ? _root : Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
