namespace Sharpflow.Metadata;

/// <summary>One artifact of a task: its blob, the serializer that wrote it, the .NET type and the raw size.</summary>
public sealed record ArtifactEntry(string Hash, string Serializer, string Type, long Size);

/// <summary>The artifacts one attempt of a task produced, by name.</summary>
public sealed record ArtifactIndex(IReadOnlyDictionary<string, ArtifactEntry> Artifacts);
