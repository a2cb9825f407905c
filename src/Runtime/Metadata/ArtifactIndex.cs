namespace Sharpflow.Metadata;

/// <summary>One artifact of a task: its blob, the serializer that wrote it, the .NET type and the raw size.</summary>
public sealed record ArtifactEntry(string Hash, string Serializer, string Type, long Size)
{
    /// <summary>
    /// The value's bytes, for a small value kept in the index itself instead of a blob of its own (null otherwise);
    /// <see cref="Hash"/> is the same as its blob would have, so values compare alike wherever they are kept.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? Inline { get; init; }

    /// <summary>
    /// The hashes of the blobs holding the value in order, for a primitive array larger than one blob
    /// (<see cref="Hash"/> is then <c>BlobCodec.HashOfChunks</c> of them); null for a value in one blob.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Chunks { get; init; }
}

/// <summary>The artifacts one attempt of a task produced, by name.</summary>
public sealed record ArtifactIndex(IReadOnlyDictionary<string, ArtifactEntry> Artifacts);
