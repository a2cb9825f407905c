using k8s.Models;

namespace Sharpflow.Kubernetes;

/// <summary>Where a Kubernetes step runs: image, namespace, service account, node selector, tolerations and credentials Secret.</summary>
public sealed record KubernetesTarget(string Image, string Namespace, string? ServiceAccount, IDictionary<string, string> NodeSelector, IList<V1Toleration> Tolerations, string? Secret)
{
    /// <summary>The worker inside the image.</summary>
    public const string WorkerPath = "/sharpflow/Sharpflow.Worker.dll";

    /// <summary>The target of a step: its attribute's settings, else the <c>SHARPFLOW_K8S_*</c> environment, else <paramref name="defaultImage"/> for the image.</summary>
    public static KubernetesTarget From(KubernetesAttribute? attribute, string flow, string step, string? defaultImage = null)
    {
        string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var image = attribute?.Image ?? defaultImage ?? Env("SHARPFLOW_K8S_IMAGE") ?? throw new InvalidOperationException(
            $"Flow '{flow}', step '{step}' runs on Kubernetes but names no image: set [Kubernetes(Image = \"...\")] or SHARPFLOW_K8S_IMAGE.");
        var selector = (attribute?.NodeSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2) is [var key, var value] ? KeyValuePair.Create(key, value)
                : throw new ArgumentException($"Flow '{flow}', step '{step}': node selector '{pair}' is not key=value."))
            .ToDictionary(p => p.Key, p => p.Value);
        var tolerations = (attribute?.Tolerations ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => Toleration(t, flow, step)).ToList();
        return new KubernetesTarget(image, attribute?.Namespace ?? Env("SHARPFLOW_K8S_NAMESPACE") ?? "default", attribute?.ServiceAccount, selector, tolerations,
            attribute?.Secret ?? Env("SHARPFLOW_K8S_SECRET"));
    }

    /// <summary><c>key=value:Effect</c> (Equal) or <c>key:Effect</c> (Exists).</summary>
    private static V1Toleration Toleration(string text, string flow, string step)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            throw new ArgumentException($"Flow '{flow}', step '{step}': toleration '{text}' needs an effect, e.g. nvidia.com/gpu:NoSchedule.");
        }
        var effect = text[(colon + 1)..];
        var keyValue = text[..colon].Split('=', 2);
        return keyValue.Length == 2
            ? new V1Toleration { Key = keyValue[0], OperatorProperty = "Equal", Value = keyValue[1], Effect = effect }
            : new V1Toleration { Key = keyValue[0], OperatorProperty = "Exists", Effect = effect };
    }
}
