namespace Sharpflow;

/// <summary>Retries a failed step: up to <see cref="Times"/> more attempts, waiting <see cref="MinutesBetween"/> between them. Every attempt is kept.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RetryAttribute : Attribute, IConfigurableDecorator
{
    /// <summary>How many times to retry after the first attempt fails (default 3).</summary>
    public int Times { get; set; } = 3;

    /// <summary>Minutes to wait before each retry (default 0; fractions allowed).</summary>
    public double MinutesBetween { get; set; }

    /// <inheritdoc />
    public string? From { get; set; }
}
