namespace Sharpflow.Datastore;

/// <summary>
/// One blob to write: a key (slash-separated, relative to the store's root) and its bytes, given as an optional short
/// header followed by the data (so large payloads are written without first being copied behind their header).
/// </summary>
/// <param name="Key">Where to write, e.g. <c>TrainFlow/data/ab/ab12...</c>.</param>
/// <param name="Data">The bytes (after <see cref="Header"/>).</param>
public readonly record struct BlobWrite(string Key, ReadOnlyMemory<byte> Data)
{
    /// <summary>Bytes stored before <see cref="Data"/>; empty by default.</summary>
    public ReadOnlyMemory<byte> Header { get; init; }

    /// <summary>The total length stored.</summary>
    public long Length => Header.Length + Data.Length;
}

/// <summary>
/// The bottom layer of the datastore: saves, loads and lists bytes under keys, and knows nothing of what they mean.
/// Batch-shaped so that a backend can work on many blobs at once. Every write is atomic: a reader sees the old bytes,
/// the new bytes, or no blob, never a partial one.
/// </summary>
public interface IBlobStore
{
    /// <summary>A human-readable location (a folder or a bucket URL) for messages.</summary>
    string Location { get; }

    /// <summary>Writes every blob, replacing existing ones.</summary>
    Task SaveAsync(IReadOnlyList<BlobWrite> blobs, CancellationToken cancellationToken = default);

    /// <summary>Writes a blob only if the key does not exist yet; returns false (writing nothing) if it does.</summary>
    Task<bool> TryCreateAsync(BlobWrite blob, CancellationToken cancellationToken = default);

    /// <summary>Loads the blobs in order; a missing key gives null.</summary>
    Task<IReadOnlyList<byte[]?>> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Opens a blob for reading (for large blobs read straight into their destination); null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Which of the keys exist, in order.</summary>
    Task<IReadOnlyList<bool>> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);

    /// <summary>The names of the entries directly below a prefix (like a directory listing), sorted ordinally.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default);
}
