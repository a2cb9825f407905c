using Sharpflow.Extensibility;

[assembly: SharpflowAddOn(typeof(Sharpflow.Ssh.SshAddOn))]

namespace Sharpflow.Ssh;

/// <summary>The SSH add-on: the <c>ssh</c> compute backend and <see cref="SshAttribute"/>.</summary>
public sealed class SshAddOn : ISharpflowAddOn
{
    /// <inheritdoc />
    public string PackageId => "Sharpflow.Ssh";

    /// <inheritdoc />
    public void Register(AddOnRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddComputeBackend(new SshBackend());
    }
}
