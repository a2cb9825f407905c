namespace Sharpflow.Datastore;

/// <summary>A stored blob is damaged or truncated; its content is not trusted.</summary>
public sealed class BlobIntegrityException(string location, string reason)
    : Exception($"Blob '{location}' is corrupted: {reason}. The datastore copy cannot be trusted; re-run the step that produced it.")
{
    /// <summary>Where the blob is stored.</summary>
    public string Location { get; } = location;
}
