namespace Sharpflow.Metadata;

/// <summary>A resolved config as stored with a run: where it came from and its tree as JSON.</summary>
public sealed record ConfigRecord(string Source, string Json);
