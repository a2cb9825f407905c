using System.Collections.Concurrent;

namespace Sharpflow.Datastore;

/// <summary>
/// Content-addressed, deduplicated, compressed blobs of one flow, on top of any <see cref="IBlobStore"/>: saving the
/// same bytes twice stores them once, and every load checks the content against its hash. A blob already in the store
/// is checked before a save relies on it (once per instance: a run's), and written again when it is damaged.
/// </summary>
public sealed class ContentAddressedStore(IBlobStore store, string flowName, BlobCache? cache = null)
{
    /// <summary>Blobs this instance has written or checked: a save may rely on them.</summary>
    private readonly ConcurrentDictionary<string, byte> _sound = new(StringComparer.Ordinal);

    /// <summary>The blob store underneath.</summary>
    public IBlobStore Store => store;

    /// <summary>Saves raw blobs (deduplicated by content) and returns their references, in order.</summary>
    public async Task<IReadOnlyList<BlobRef>> SaveBlobsAsync(IReadOnlyList<ReadOnlyMemory<byte>> blobs, CancellationToken cancellationToken = default)
    {
        var refs = new BlobRef[blobs.Count];
        var candidates = new List<(string Hash, ReadOnlyMemory<byte> Raw)>();
        for (var i = 0; i < blobs.Count; i++)
        {
            var hash = BlobCodec.Hash(blobs[i].Span);
            refs[i] = new BlobRef(hash, blobs[i].Length);
            if (cache is not null && blobs[i].Length <= cache.MaxItemBytes)
            {
                cache.Put(hash, blobs[i].ToArray()); // a copy: the caller's buffer may be a live artifact
            }
            if (!_sound.ContainsKey(hash) && candidates.All(c => c.Hash != hash))
            {
                candidates.Add((hash, blobs[i]));
            }
        }
        if (candidates.Count > 0)
        {
            var exists = await store.ExistsAsync(candidates.Select(c => DatastoreLayout.Blob(flowName, c.Hash)).ToArray(), cancellationToken).ConfigureAwait(false);
            var writes = new List<BlobWrite>();
            for (var i = 0; i < candidates.Count; i++)
            {
                if (!exists[i] || !await IsSoundAsync(candidates[i].Hash, cancellationToken).ConfigureAwait(false))
                {
                    var (header, payload) = BlobCodec.Encode(candidates[i].Raw);
                    writes.Add(new BlobWrite(DatastoreLayout.Blob(flowName, candidates[i].Hash), payload) { Header = header });
                }
            }
            await store.SaveAsync(writes, cancellationToken).ConfigureAwait(false);
            foreach (var (hash, _) in candidates)
            {
                _sound.TryAdd(hash, 0);
            }
        }
        return refs;
    }

    /// <summary>
    /// Loads one blob straight into the memory <paramref name="destination"/> returns for its raw length (for large
    /// arrays: no intermediate buffer), verifying it.
    /// </summary>
    public async Task LoadBlobIntoAsync(string hash, Func<long, Memory<byte>> destination, CancellationToken cancellationToken = default)
    {
        var key = DatastoreLayout.Blob(flowName, hash);
        var location = $"{store.Location}/{key}";
        await using var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false) ?? throw MissingBlob(location);
        BlobCodec.DecodeInto(stream, hash, location, destination);
    }

    /// <summary>Loads raw blobs by hash, in order, verifying each; a missing blob is an error naming its key.</summary>
    public async Task<IReadOnlyList<ReadOnlyMemory<byte>>> LoadBlobsAsync(IReadOnlyList<string> hashes, CancellationToken cancellationToken = default)
    {
        var result = new ReadOnlyMemory<byte>[hashes.Count];
        var missing = new List<int>();
        for (var i = 0; i < hashes.Count; i++)
        {
            if (cache?.Get(hashes[i]) is { } cached)
            {
                result[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }
        if (missing.Count == 0)
        {
            return result;
        }
        var keys = missing.Select(i => DatastoreLayout.Blob(flowName, hashes[i])).ToArray();
        var stored = await store.LoadAsync(keys, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < missing.Count; j++)
        {
            var location = $"{store.Location}/{keys[j]}";
            var bytes = stored[j] ?? throw MissingBlob(location);
            var raw = BlobCodec.Decode(bytes, hashes[missing[j]], location);
            cache?.Put(hashes[missing[j]], raw);
            result[missing[j]] = raw;
        }
        return result;
    }

    /// <summary>
    /// Whether the stored blob decodes to content with its hash: a damaged one (a flipped byte, a truncated file) must
    /// not stand for the value a task saves now. Reads it through a pooled buffer.
    /// </summary>
    private async Task<bool> IsSoundAsync(string hash, CancellationToken cancellationToken)
    {
        var key = DatastoreLayout.Blob(flowName, hash);
        byte[]? buffer = null;
        try
        {
            await using var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                return false;
            }
            BlobCodec.DecodeInto(stream, hash, $"{store.Location}/{key}", length =>
                (buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)length)).AsMemory(0, (int)length));
            return true;
        }
        catch (BlobIntegrityException)
        {
            return false; // written again by the caller, from the bytes the task has now
        }
        finally
        {
            if (buffer is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static FileNotFoundException MissingBlob(string location) => new(
        $"Blob '{location}' is missing from the datastore. It was deleted or the datastore is incomplete; re-run the step that produced it.", location);
}
