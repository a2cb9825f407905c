namespace Sharpflow.Datastore;

/// <summary>A saved content-addressed blob: its content hash and its raw (uncompressed) size in bytes.</summary>
public readonly record struct BlobRef(string Hash, long Size);
