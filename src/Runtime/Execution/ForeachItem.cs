using Sharpflow.Artifacts;

namespace Sharpflow.Execution;

/// <summary>
/// One foreach item as its child tasks get it: the content hash their fingerprints use, and the encoded value. The
/// items of a split cloned from an earlier run come with their recorded hashes and are read from its stored list only
/// when a child actually runs: a reused foreach whose children are reused too never decodes the list.
/// </summary>
internal sealed class ForeachItem
{
    private readonly EncodedArtifact? _known;
    private readonly Func<Task<EncodedArtifact>>? _read;
    private string? _hash;

    private ForeachItem(EncodedArtifact? known, string? hash, Func<Task<EncodedArtifact>>? read)
    {
        _known = known;
        _hash = hash;
        _read = read;
    }

    /// <summary>An item whose encoded value is at hand (the split ran in this process, or it was handed over).</summary>
    public static ForeachItem Of(EncodedArtifact encoded) => new(encoded, null, null);

    /// <summary>An item known by its recorded hash; <paramref name="read"/> gives its value (callers share one read of the list).</summary>
    public static ForeachItem Stored(string hash, Func<Task<EncodedArtifact>> read) => new(null, hash, read);

    /// <summary>The item's serializer and content hash (<see cref="RunContext.HashOf(EncodedArtifact)"/>).</summary>
    public string Hash => _hash ??= RunContext.HashOf(_known!.Value);

    /// <summary>The item's encoded value.</summary>
    public Task<EncodedArtifact> ReadAsync() => _known is { } known ? Task.FromResult(known) : _read!();
}
