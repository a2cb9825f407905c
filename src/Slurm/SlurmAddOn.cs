using Sharpflow.Extensibility;

[assembly: SharpflowAddOn(typeof(Sharpflow.Slurm.SlurmAddOn))]

namespace Sharpflow.Slurm;

/// <summary>The Slurm add-on: the <c>slurm</c> compute backend and <see cref="SlurmAttribute"/>.</summary>
public sealed class SlurmAddOn : ISharpflowAddOn
{
    /// <inheritdoc />
    public string PackageId => "Sharpflow.Slurm";

    /// <inheritdoc />
    public void Register(AddOnRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddComputeBackend(new SlurmBackend());
    }
}
