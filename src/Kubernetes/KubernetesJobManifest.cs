using System.Text.RegularExpressions;
using k8s.Models;
using Sharpflow.Compute;
using Sharpflow.Extensibility;

namespace Sharpflow.Kubernetes;

/// <summary>
/// The Jobs that run task attempts on Kubernetes: one task attempt as a Job, or a foreach's tasks as one Indexed Job.
/// A DNS-1123 name and labels naming the flow, run, step and task; no Kubernetes retries (Sharpflow retries); the step's
/// timeout as the active deadline; GPU, CPU and memory limits; node selectors and tolerations; plain settings as env and
/// credentials only through <c>envFrom</c> a Secret.
/// </summary>
internal static partial class KubernetesJobManifest
{
    public static V1Job For(TaskAttempt attempt, KubernetesTarget target, IReadOnlyList<string> command)
    {
        var labels = Labels(attempt);
        labels["sharpflow.dev/task"] = Label(attempt.TaskId);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = Name(attempt, "", 63), NamespaceProperty = target.Namespace, Labels = labels },
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                TtlSecondsAfterFinished = 3600,
                ActiveDeadlineSeconds = attempt.Timeout is { } timeout ? (long)Math.Ceiling(timeout.TotalSeconds) : null,
                Template = PodTemplate(attempt, target, command, labels, deadlineSeconds: null),
            },
        };
    }

    /// <summary>
    /// The Indexed Job that runs <paramref name="count"/> attempts of one step as its elements (completion indexes 0 to
    /// count - 1): at most <paramref name="parallelism"/> pods at once; no Kubernetes retries and no failure of one element
    /// stopping the others (<c>backoffLimitPerIndex: 0</c>); the step's timeout as each pod's own active deadline.
    /// </summary>
    public static V1Job ForArray(TaskAttempt head, int count, int parallelism, KubernetesTarget target, IReadOnlyList<string> command)
    {
        var labels = Labels(head);
        labels["sharpflow.dev/first-task"] = Label(head.TaskId);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            // Pod host names are the job's name, '-' and the index: the name leaves room for 6 digits.
            Metadata = new V1ObjectMeta { Name = Name(head, "-a", 63 - 7), NamespaceProperty = target.Namespace, Labels = labels },
            Spec = new V1JobSpec
            {
                CompletionMode = "Indexed",
                Completions = count,
                Parallelism = parallelism,
                BackoffLimitPerIndex = 0,
                TtlSecondsAfterFinished = 3600,
                Template = PodTemplate(head, target, command, labels, head.Timeout is { } timeout ? (long)Math.Ceiling(timeout.TotalSeconds) : null),
            },
        };
    }

    private static Dictionary<string, string> Labels(TaskAttempt attempt) => new()
    {
        ["app.kubernetes.io/managed-by"] = "sharpflow",
        ["sharpflow.dev/flow"] = Label(attempt.FlowName),
        ["sharpflow.dev/run"] = Label(attempt.RunId),
        ["sharpflow.dev/step"] = Label(attempt.Step),
    };

    /// <summary>The pod: no restarts; GPU, CPU and memory limits; node selectors, tolerations; plain settings as env, credentials from the Secret.</summary>
    private static V1PodTemplateSpec PodTemplate(TaskAttempt attempt, KubernetesTarget target, IReadOnlyList<string> command, Dictionary<string, string> labels, long? deadlineSeconds)
    {
        var resources = attempt.Resources ?? new ResourcesAttribute();
        var limits = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(Math.Max(1, resources.Cpu).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["memory"] = new(resources.Memory),
        };
        if (resources.Gpu > 0)
        {
            limits["nvidia.com/gpu"] = new(resources.Gpu.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var env = PlainSettingsFromEnvironment().Select(v => new V1EnvVar { Name = v.Name, Value = v.Value }).ToList();
        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                ActiveDeadlineSeconds = deadlineSeconds,
                ServiceAccountName = target.ServiceAccount,
                NodeSelector = target.NodeSelector.Count == 0 ? null : target.NodeSelector,
                Tolerations = target.Tolerations.Count == 0 ? null : target.Tolerations,
                Containers =
                [
                    new V1Container
                    {
                        Name = "task",
                        Image = target.Image,
                        Command = [.. command],
                        Env = env.Count == 0 ? null : env,
                        EnvFrom = target.Secret is { } secret ? [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secret } }] : null,
                        Resources = new V1ResourceRequirements { Limits = limits, Requests = limits },
                    },
                ],
            },
        };
    }

    /// <summary>The plain (not secret) datastore settings of this process's environment, passed on to pods as env (credentials go through the Secret).</summary>
    public static IEnumerable<(string Name, string Value)> PlainSettingsFromEnvironment() =>
        AddOns.PlainDatastoreSettingVariables.Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
            .Where(v => !string.IsNullOrEmpty(v.value)).Select(v => (v.name, v.value!));

    /// <summary>A DNS-1123 label: lower case, [a-z0-9-], at most <paramref name="length"/> characters, unique per attempt (and <paramref name="kind"/>).</summary>
    private static string Name(TaskAttempt attempt, string kind, int length)
    {
        var suffix = $"-{attempt.RunId}-{attempt.TaskId}-{attempt.Attempt}{kind}";
        var stem = Label($"sf-{attempt.FlowName}-{attempt.Step}").ToLowerInvariant();
        stem = Invalid().Replace(stem, "-").Trim('-');
        return (stem.Length + suffix.Length > length ? stem[..Math.Max(0, length - suffix.Length)] : stem).TrimEnd('-') + suffix;
    }

    /// <summary>A label value: [A-Za-z0-9._-], at most 63 characters, alphanumeric at both ends.</summary>
    private static string Label(string value)
    {
        var cleaned = LabelInvalid().Replace(value, "-");
        cleaned = cleaned.Length > 63 ? cleaned[..63] : cleaned;
        return cleaned.Trim('-', '.', '_');
    }

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex Invalid();

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex LabelInvalid();
}
