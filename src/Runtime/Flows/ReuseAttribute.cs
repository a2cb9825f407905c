namespace Sharpflow;

/// <summary>
/// Whether a step's tasks may be reused by <c>run --reuse</c> (and notebook step cells): a task is reused when an
/// earlier run of the flow has a successful task with the same fingerprint (the code it can reach, its decorators, the
/// parameters and configs it reads, its inputs' content hashes and its foreach item). <c>[Reuse(false)]</c> opts a step
/// out: one that reads the clock, files, the network or unseeded randomness, whose result the fingerprint cannot see.
/// On the flow class it applies to every step; <c>From = "config.key"</c> reads <c>enabled</c> from a config table.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class ReuseAttribute : Attribute, IConfigurableDecorator
{
    /// <summary>Reuse allowed (the default without the attribute).</summary>
    public ReuseAttribute()
    {
    }

    /// <summary>Reuse allowed or not: <c>[Reuse(false)]</c> always runs the step.</summary>
    public ReuseAttribute(bool enabled) => Enabled = enabled;

    /// <summary>Whether the step's tasks may be reused.</summary>
    public bool Enabled { get; set; } = true;

    /// <inheritdoc />
    public string? From { get; set; }
}
