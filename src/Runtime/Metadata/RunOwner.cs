using System.Diagnostics;

namespace Sharpflow.Metadata;

/// <summary>
/// The process that drives a run (a runner's: a CLI, a notebook kernel, a test). While the run is not finished the
/// process proves it is alive by refreshing the run's heartbeat; a run whose owner is gone was not finished by it and is
/// shown as <see cref="RunStatus.Crashed"/>. Runs driven by an orchestrator (Argo Workflows) have no owner.
/// </summary>
public sealed record RunOwner(string Host, int ProcessId, DateTimeOffset ProcessStartedAt)
{
    /// <summary>How often the owner refreshes the heartbeat.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>How old a heartbeat may be before an owner on another host is taken for gone (missed beats, clock skew).</summary>
    public static readonly TimeSpan HeartbeatExpiry = TimeSpan.FromMinutes(2);

    /// <summary>This process.</summary>
    public static RunOwner Current { get; } = new(Environment.MachineName, Environment.ProcessId, StartTimeOf(Process.GetCurrentProcess()) ?? DateTimeOffset.UtcNow);

    /// <summary>
    /// Whether the owner still runs: on this host, whether its process (the same one: same id and start time) exists;
    /// elsewhere, whether its last heartbeat (<paramref name="lastSeen"/>, read only then) is recent.
    /// </summary>
    public bool IsAlive(Func<DateTimeOffset> lastSeen)
    {
        ArgumentNullException.ThrowIfNull(lastSeen);
        if (Host != Environment.MachineName)
        {
            return DateTimeOffset.UtcNow - lastSeen() < HeartbeatExpiry;
        }
        if (ProcessId == Environment.ProcessId)
        {
            return ProcessStartedAt == Current.ProcessStartedAt;
        }
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return StartTimeOf(process) is { } started && (started - ProcessStartedAt).Duration() < TimeSpan.FromSeconds(2);
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }

    private static DateTimeOffset? StartTimeOf(Process process)
    {
        try
        {
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (InvalidOperationException)
        {
            return null; // it has exited
        }
    }
}
