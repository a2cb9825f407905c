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
        foreach (var (name, value) in artifacts.Where(a => a.Value.Data.Length <= InlineBytes))
        {
            entries[name] = new ArtifactEntry(BlobCodec.Hash(value.Data.Span), value.Serializer, value.TypeName, value.Data.Length) { Inline = value.Data.ToArray() };
        }
        var large = artifacts.Where(a => a.Value.Data.Length > InlineBytes).ToArray();
        var refs = await blobs.SaveBlobsAsync(large.Select(a => a.Value.Data).ToArray(), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < large.Length; i++)
        {
            var (name, value) = large[i];
            entries[name] = new ArtifactEntry(refs[i].Hash, value.Serializer, value.TypeName, refs[i].Size);
        }
        return new ArtifactIndex(entries);
    }

    /// <summary>Loads the raw bytes of the named artifacts of an index (all of them when <paramref name="names"/> is null).</summary>
    public async Task<IReadOnlyDictionary<string, ReadOnlyMemory<byte>>> LoadAsync(ArtifactIndex index, IEnumerable<string>? names = null, CancellationToken cancellationToken = default)
    {
        var wanted = (names ?? index.Artifacts.Keys).Where(index.Artifacts.ContainsKey).ToArray();
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
    /// straight from the datastore into a new array, everything else through its serializer.
    /// </summary>
    public async Task<object?> LoadValueAsync(string step, string name, ArtifactEntry entry, Type? targetType, CancellationToken cancellationToken = default)
    {
        if (IsLargeArray(entry) && TypeNames.Resolve(entry.Type) is { IsSZArray: true } arrayType
            && (targetType is null || targetType.IsAssignableFrom(arrayType)))
        {
            Array? array = null;
            await blobs.LoadBlobIntoAsync(entry.Hash, length =>
            {
                var (created, bytes) = RawBinarySerializer.AllocateArray(arrayType, length);
                array = created;
                return bytes;
            }, cancellationToken).ConfigureAwait(false);
            return array;
        }
        var data = entry.Inline is not null ? InlineData(name, entry) : (await blobs.LoadBlobsAsync([entry.Hash], cancellationToken).ConfigureAwait(false))[0];
        return Decode(step, name, entry, data, targetType);
    }

    /// <summary>A value kept in the index, checked against its hash like any blob.</summary>
    private ReadOnlyMemory<byte> InlineData(string name, ArtifactEntry entry) =>
        BlobCodec.Hash(entry.Inline) == entry.Hash ? entry.Inline
            : throw new BlobIntegrityException($"flow '{flowName}', artifact '{name}' (kept in its task's index)", $"its bytes do not match their hash {entry.Hash}");

    private static bool IsLargeArray(ArtifactEntry entry) => entry.Serializer == RawSerializerId && entry.Size >= DirectReadBytes;

    private const string RawSerializerId = "raw";

    /// <summary>Values this small are kept in the task's index: a file of their own would cost more than the value.</summary>
    private const int InlineBytes = 64;
    private const long DirectReadBytes = 1 << 20;
}
