using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Sharpflow.Kubernetes;

namespace Sharpflow.Argo;

/// <summary>
/// Argo Events Sensors through the Kubernetes API (the cluster of <c>SHARPFLOW_K8S_API</c>, the pod's own, or the
/// kubeconfig), as <c>kubectl apply</c> would: the Argo Server does not manage them.
/// </summary>
internal static class ArgoEventsSensors
{
    private const string Group = "argoproj.io";
    private const string Version = "v1alpha1";
    private const string Plural = "sensors";

    /// <summary>Creates the Sensor, or replaces the one of the same name (keeping its resourceVersion).</summary>
    public static async Task CreateOrReplaceAsync(JsonObject sensor, CancellationToken cancellationToken)
    {
        var kubernetes = KubernetesBackend.Connect();
        var (ns, name) = (sensor["metadata"]!["namespace"]!.GetValue<string>(), sensor["metadata"]!["name"]!.GetValue<string>());
        try
        {
            var existing = AsJson(await kubernetes.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, ns, Plural, name, cancellationToken).ConfigureAwait(false));
            var replacement = sensor.DeepClone().AsObject();
            replacement["metadata"]!["resourceVersion"] = existing?["metadata"]?["resourceVersion"]?.DeepClone();
            await kubernetes.CustomObjects.ReplaceNamespacedCustomObjectAsync(replacement, Group, Version, ns, Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            await kubernetes.CustomObjects.CreateNamespacedCustomObjectAsync(sensor, Group, Version, ns, Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the Sensor; false when there was none.</summary>
    public static async Task<bool> DeleteAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            await KubernetesBackend.Connect().CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, @namespace, Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static JsonNode? AsJson(object? value) => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value));
}
