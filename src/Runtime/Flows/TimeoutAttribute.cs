namespace Sharpflow;

/// <summary>
/// Limits each attempt of a step: when the time is up, <see cref="Current.CancellationToken"/> is cancelled and the
/// attempt fails with a <see cref="TimeoutException"/> (then <see cref="RetryAttribute"/> and <see cref="CatchAttribute"/> apply).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class TimeoutAttribute : Attribute, IConfigurableDecorator
{
    /// <summary>Seconds per attempt.</summary>
    public int Seconds { get; set; }

    /// <summary>Minutes per attempt (added to <see cref="Seconds"/>).</summary>
    public int Minutes { get; set; }

    /// <summary>Hours per attempt (added to the others).</summary>
    public int Hours { get; set; }

    /// <inheritdoc />
    public string? From { get; set; }

    /// <summary>The total limit.</summary>
    public TimeSpan Limit => TimeSpan.FromSeconds(Seconds) + TimeSpan.FromMinutes(Minutes) + TimeSpan.FromHours(Hours);
}
