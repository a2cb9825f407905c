using Sharpflow.Datastore;
using Sharpflow.Metadata;

namespace Sharpflow.Artifacts;

/// <summary>Saves a task's artifact values as content-addressed blobs and reads them back into flow instances.</summary>
public sealed class ArtifactStore(ContentAddressedStore blobs, ArtifactCodec codec, string flowName)
{
    /// <summary>The codec in use.</summary>
    public ArtifactCodec Codec => codec;

    /// <summary>The blob layer in use.</summary>
    public ContentAddressedStore Blobs => blobs;

    /// <summary>Saves already-encoded artifacts of a task; returns the index to store with the attempt.</summary>
    public Task<ArtifactIndex> SaveAsync(IReadOnlyList<(string Name, EncodedArtifact Value)> artifacts, CancellationToken cancellationToken = default) =>
        SaveAsync(artifacts, new Dictionary<string, ArtifactEntry>(), cancellationToken);

    /// <summary>
    /// Saves already-encoded artifacts of a task; <paramref name="carried"/> are entries of artifacts already stored
    /// (inherited unchanged), kept as they are. Returns the index to store with the attempt.
    /// </summary>
    public async Task<ArtifactIndex> SaveAsync(IReadOnlyList<(string Name, EncodedArtifact Value)> artifacts, IReadOnlyDictionary<string, ArtifactEntry> carried, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(carried);
        var entries = new Dictionary<string, ArtifactEntry>(carried, StringComparer.Ordinal);
        foreach (var (name, value) in artifacts.Where(a => a.Value.Chunks is null && a.Value.Data.Length <= InlineBytes))
        {
            entries[name] = new ArtifactEntry(BlobCodec.Hash(value.Data.Span), value.Serializer, value.TypeName, value.Data.Length) { Inline = value.Data.ToArray() };
        }
        // One batch of blobs: each large value's own, and each chunk of a value larger than one blob.
        var large = artifacts.Where(a => a.Value.Chunks is not null || a.Value.Data.Length > InlineBytes).ToArray();
        var refs = await blobs.SaveBlobsAsync(large.SelectMany(a => a.Value.Chunks ?? [a.Value.Data]).ToArray(), cancellationToken).ConfigureAwait(false);
        var next = 0;
        foreach (var (name, value) in large)
        {
            if (value.Chunks is { } chunks)
            {
                var chunkRefs = refs.Skip(next).Take(chunks.Count).ToArray();
                next += chunks.Count;
                var hashes = chunkRefs.Select(r => r.Hash).ToArray();
                entries[name] = new ArtifactEntry(BlobCodec.HashOfChunks(hashes), value.Serializer, value.TypeName, chunkRefs.Sum(r => r.Size)) { Chunks = hashes };
            }
            else
            {
                var blob = refs[next++];
                entries[name] = new ArtifactEntry(blob.Hash, value.Serializer, value.TypeName, blob.Size);
            }
        }
        return new ArtifactIndex(entries);
    }

    /// <summary>
    /// Loads the raw bytes of the named artifacts of an index (all of them when <paramref name="names"/> is null). An
    /// array stored in chunks has no single buffer: it is refused here and read with <see cref="LoadValueAsync"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ReadOnlyMemory<byte>>> LoadAsync(ArtifactIndex index, IEnumerable<string>? names = null, CancellationToken cancellationToken = default)
    {
        var wanted = (names ?? index.Artifacts.Keys).Where(index.Artifacts.ContainsKey).ToArray();
        if (wanted.FirstOrDefault(n => index.Artifacts[n].Chunks is not null) is { } chunked)
        {
            throw new InvalidOperationException($"Flow '{flowName}': artifact '{chunked}' is {index.Artifacts[chunked].Size:N0} bytes stored in "
                + $"{index.Artifacts[chunked].Chunks!.Count} chunks, more than one buffer holds: load it as a value (LoadValueAsync).");
        }
        var stored = wanted.Where(n => index.Artifacts[n].Inline is null).ToArray();
        var data = await blobs.LoadBlobsAsync(stored.Select(n => index.Artifacts[n].Hash).ToArray(), cancellationToken).ConfigureAwait(false);
        return wanted.Where(n => index.Artifacts[n].Inline is not null).Select(n => (n, InlineData(n, index.Artifacts[n])))
            .Concat(stored.Select((n, i) => (n, data[i])))
            .ToDictionary(p => p.n, p => p.Item2, StringComparer.Ordinal);
    }

    /// <summary>Decodes one artifact of a task of <paramref name="step"/>.</summary>
    public object? Decode(string step, string name, ArtifactEntry entry, ReadOnlyMemory<byte> data, Type? targetType) =>
        codec.Decode(flowName, step, name, entry.Serializer, entry.Type, data, targetType);

    /// <summary>Sets every artifact member of <paramref name="instance"/> that the index holds to a fresh copy of the stored value.</summary>
    public Task HydrateAsync(FlowSpec instance, string step, ArtifactIndex index, CancellationToken cancellationToken = default) =>
        HydrateAsync(instance, step, index, null, cancellationToken);

    /// <summary>
    /// Sets the artifact members of <paramref name="instance"/> named in <paramref name="only"/> (all when null) that the
    /// index holds to a fresh copy of the stored value.
    /// </summary>
    public async Task HydrateAsync(FlowSpec instance, string step, ArtifactIndex index, IReadOnlySet<string>? only, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(index);
        var members = ArtifactMember.Of(instance.GetType()).Where(m => index.Artifacts.ContainsKey(m.Name) && (only is null || only.Contains(m.Name))).ToArray();
        var small = members.Where(m => !IsLargeArray(index.Artifacts[m.Name])).ToArray();
        var data = await LoadAsync(index, small.Select(m => m.Name), cancellationToken).ConfigureAwait(false);
        foreach (var member in small)
        {
            member.SetValue(instance, Decode(step, member.Name, index.Artifacts[member.Name], data[member.Name], member.Type));
        }
        foreach (var member in members.Except(small))
        {
            member.SetValue(instance, await LoadValueAsync(step, member.Name, index.Artifacts[member.Name], member.Type, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Loads one artifact's value as <paramref name="targetType"/> (or its stored type): large primitive arrays are read
    /// straight from the datastore into a new array (chunk by chunk when stored in chunks), everything else through its
    /// serializer.
    /// </summary>
    public async Task<object?> LoadValueAsync(string step, string name, ArtifactEntry entry, Type? targetType, CancellationToken cancellationToken = default)
    {
        var arrayType = IsLargeArray(entry) && TypeNames.Resolve(entry.Type) is { IsSZArray: true } stored
            && RawBinarySerializer.ArrayTypeOf(stored.GetElementType()!) == stored ? stored : null;
        if (arrayType is not null && (targetType is null || targetType.IsAssignableFrom(arrayType)))
        {
            return await LoadArrayAsync(step, name, entry, arrayType, cancellationToken).ConfigureAwait(false);
        }
        if (entry.Chunks is not null)
        {
            throw new ArtifactSerializationException(flowName, step, name, entry.Type, arrayType is null
                ? $"Flow '{flowName}', step '{step}': artifact '{name}' is stored in chunks as '{entry.Type}', which is not an array of a primitive type loaded in this process."
                : $"Flow '{flowName}', step '{step}': artifact '{name}' is a {arrayType.Name} and cannot be read as '{targetType!.FullName}'.");
        }
        var data = entry.Inline is not null ? InlineData(name, entry) : (await blobs.LoadBlobsAsync([entry.Hash], cancellationToken).ConfigureAwait(false))[0];
        return Decode(step, name, entry, data, targetType);
    }

    /// <summary>Reads a primitive array's blob, or its chunks in order, straight into one new array; checks sizes and hashes.</summary>
    private async Task<Array> LoadArrayAsync(string step, string name, ArtifactEntry entry, Type arrayType, CancellationToken cancellationToken)
    {
        var chunks = entry.Chunks ?? [entry.Hash];
        var where = $"flow '{flowName}', step '{step}', artifact '{name}'";
        if (entry.Chunks is not null && BlobCodec.HashOfChunks(entry.Chunks) != entry.Hash)
        {
            throw new BlobIntegrityException(where, $"its chunk list does not match its hash {entry.Hash}");
        }
        var array = RawBinarySerializer.AllocateArray(arrayType, entry.Size);
        long offset = 0;
        foreach (var chunk in chunks)
        {
            await blobs.LoadBlobIntoAsync(chunk, length =>
            {
                if (length > entry.Size - offset || length > int.MaxValue)
                {
                    throw new BlobIntegrityException(where, $"its blob {chunk} holds {length:N0} bytes, more than the {entry.Size - offset:N0} left of its {entry.Size:N0}");
                }
                var into = RawBinarySerializer.BytesOf(array, offset, (int)length);
                offset += length;
                return into;
            }, cancellationToken).ConfigureAwait(false);
        }
        if (offset != entry.Size)
        {
            throw new BlobIntegrityException(where, $"its blobs hold {offset:N0} bytes, not the {entry.Size:N0} its index records");
        }
        return array;
    }

    /// <summary>A value kept in the index, checked against its hash like any blob.</summary>
    private ReadOnlyMemory<byte> InlineData(string name, ArtifactEntry entry) =>
        BlobCodec.Hash(entry.Inline) == entry.Hash ? entry.Inline
            : throw new BlobIntegrityException($"flow '{flowName}', artifact '{name}' (kept in its task's index)", $"its bytes do not match their hash {entry.Hash}");

    private static bool IsLargeArray(ArtifactEntry entry) => entry.Chunks is not null || (entry.Serializer == RawSerializerId && entry.Size >= DirectReadBytes);

    private const string RawSerializerId = "raw";

    /// <summary>Values this small are kept in the task's index: a file of their own would cost more than the value.</summary>
    private const int InlineBytes = 64;
    private const long DirectReadBytes = 1 << 20;
}
