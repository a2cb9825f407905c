namespace Sharpflow;

/// <summary>
/// Runs the step's tasks as Kubernetes Jobs: one Job per task attempt (a foreach's tasks as one Indexed Job,
/// <see cref="MaxParallel"/> at a time), with <c>nvidia.com/gpu</c>, CPU and memory
/// limits from <see cref="ResourcesAttribute"/>, node selectors and tolerations for GPU nodes, and the datastore's
/// credentials from a Secret (never in the manifest). The image holds .NET and the Sharpflow worker
/// (<c>/sharpflow/Sharpflow.Worker.dll</c>), which fetches the flow's code package from the datastore and verifies it.
/// Unset properties come from <c>SHARPFLOW_K8S_IMAGE</c>, <c>SHARPFLOW_K8S_NAMESPACE</c>, <c>SHARPFLOW_K8S_SECRET</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class KubernetesAttribute : Attribute, IComputeAttribute
{
    /// <inheritdoc />
    public string Backend => "kubernetes";

    /// <summary>The container image.</summary>
    public string? Image { get; set; }

    /// <summary>The namespace (default: <c>default</c>).</summary>
    public string? Namespace { get; set; }

    /// <summary>The service account the pod runs as.</summary>
    public string? ServiceAccount { get; set; }

    /// <summary>Node labels the pod needs, as <c>key=value,key=value</c> (e.g. <c>nvidia.com/gpu.present=true</c>).</summary>
    public string? NodeSelector { get; set; }

    /// <summary>Taints the pod tolerates, as <c>key=value:Effect</c> or <c>key:Effect</c>, comma-separated (e.g. <c>nvidia.com/gpu:NoSchedule</c>).</summary>
    public string? Tolerations { get; set; }

    /// <summary>A Secret whose keys become the worker's environment (datastore credentials such as AWS_ACCESS_KEY_ID).</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// How many of the step's foreach tasks run at once (the Indexed Job's <c>parallelism</c>); 0 runs them all at once,
    /// as far as the cluster's free resources and quotas allow. Not bounded by <c>--max-workers</c>, which counts this
    /// machine's cores.
    /// </summary>
    public int MaxParallel { get; set; }

    /// <summary>
    /// Whether a foreach's tasks go as one Indexed Job (the default: one Job, one API call, elements failing alone); false
    /// creates one Job per task, for clusters older than Kubernetes 1.29 (per-index backoff limits).
    /// </summary>
    public bool IndexedJob { get; set; } = true;
}
