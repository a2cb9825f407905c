namespace Sharpflow.Metadata;

/// <summary>The last time a run's owner proved it was alive (see <see cref="RunOwner"/>).</summary>
public sealed record RunHeartbeat(DateTimeOffset At);
