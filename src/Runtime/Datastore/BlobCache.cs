namespace Sharpflow.Datastore;

/// <summary>
/// A bounded in-memory cache of raw blob bytes by content hash, so in-process tasks hydrate their inputs without
/// re-reading and decompressing them. Blobs are immutable, so a cached copy is never stale.
/// </summary>
public sealed class BlobCache(long capacityBytes = 256L << 20, long maxItemBytes = 8L << 20)
{
    private readonly Dictionary<string, LinkedListNode<(string Hash, ReadOnlyMemory<byte> Data)>> _items = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Hash, ReadOnlyMemory<byte> Data)> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    /// <summary>The largest blob the cache keeps.</summary>
    public long MaxItemBytes => maxItemBytes;

    /// <summary>Returns the cached bytes for a hash, or null.</summary>
    public ReadOnlyMemory<byte>? Get(string hash)
    {
        lock (_lock)
        {
            if (!_items.TryGetValue(hash, out var node))
            {
                return null;
            }
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Data;
        }
    }

    /// <summary>Caches bytes (callers must not modify them afterwards); large blobs are not cached.</summary>
    public void Put(string hash, ReadOnlyMemory<byte> data)
    {
        if (data.Length > maxItemBytes)
        {
            return;
        }
        lock (_lock)
        {
            if (_items.ContainsKey(hash))
            {
                return;
            }
            _items[hash] = _order.AddFirst((hash, data));
            _bytes += data.Length;
            while (_bytes > capacityBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _items.Remove(last.Value.Hash);
                _bytes -= last.Value.Data.Length;
            }
        }
    }
}
