namespace Sharpflow;

/// <summary>
/// States what a step needs (CPU cores, GPUs, memory). Local runs record it with each task; remote compute backends
/// request it from their scheduler. <see cref="From"/> takes the values from a config table instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ResourcesAttribute : Attribute, IConfigurableDecorator
{
    /// <summary>CPU cores.</summary>
    public int Cpu { get; set; } = 1;

    /// <summary>GPUs.</summary>
    public int Gpu { get; set; }

    /// <summary>Memory, e.g. <c>16G</c> or <c>512M</c>.</summary>
    public string Memory { get; set; } = "4G";

    /// <inheritdoc />
    public string? From { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"cpu={Cpu} gpu={Gpu} memory={Memory}";
}
