using Sharpflow.Extensibility;

[assembly: SharpflowAddOn(typeof(Sharpflow.Kubernetes.KubernetesAddOn))]

namespace Sharpflow.Kubernetes;

/// <summary>The Kubernetes add-on: the <c>kubernetes</c> compute backend and <see cref="KubernetesAttribute"/>.</summary>
public sealed class KubernetesAddOn : ISharpflowAddOn
{
    /// <inheritdoc />
    public string PackageId => "Sharpflow.Kubernetes";

    /// <inheritdoc />
    public void Register(AddOnRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddComputeBackend(new KubernetesBackend());
    }
}
