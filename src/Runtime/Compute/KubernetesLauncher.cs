using k8s;
using k8s.Autorest;
using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Packaging;

namespace Sharpflow.Compute;

/// <summary>
/// Runs a task attempt as a Kubernetes Job (<see cref="KubernetesJobManifest"/>): the task spec goes to the datastore,
/// the pod's worker fetches the code package and the spec from there, the pod's log is streamed back line by line,
/// the exit code comes from the container's terminated state, and the Job is deleted when it ends or the run is
/// cancelled or times out. The cluster is reached from the kubeconfig, in-cluster credentials, or <c>SHARPFLOW_K8S_API</c>.
/// </summary>
internal sealed class KubernetesLauncher(RunContext run, StepPolicy policy, KubernetesTarget target, CodePackageManifest package, IKubernetes? client = null) : ITaskLauncher
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    public string SpecDirectory => Path.GetTempPath();

    /// <inheritdoc />
    public async Task<(int ExitCode, string Stderr)> LaunchAsync(IReadOnlyList<string> command, TaskSpec spec, int attempt, TimeSpan? deadline, Action<string> onStdoutLine)
    {
        var kubernetes = client ?? Connect();
        // The spec travels through the datastore; the worker in the pod fetches it (and the package) from there.
        var arguments = command.Skip(2).ToArray();
        var specIndex = Array.IndexOf(arguments, "--spec") + 1;
        var specKey = $"{run.FlowName}/{run.RunId}/_meta/specs/{spec.Step.Name}-{spec.TaskId}-{attempt}.json";
        await run.Metadata.Store.SaveAsync([new BlobWrite(specKey, await File.ReadAllBytesAsync(arguments[specIndex]).ConfigureAwait(false))]).ConfigureAwait(false);
        arguments[specIndex - 1] = "--spec-key";
        arguments[specIndex] = specKey;
        var root = arguments[Array.IndexOf(arguments, "--datastore") + 1];
        string[] container = ["dotnet", KubernetesTarget.WorkerPath, "--package", root, package.Flow, package.Hash, .. arguments];

        var job = KubernetesJobManifest.For(run, spec, attempt, policy, target, container);
        var name = job.Metadata.Name;
        await kubernetes.BatchV1.CreateNamespacedJobAsync(job, target.Namespace).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation);
        if (deadline is { } limit)
        {
            stop.CancelAfter(limit);
        }
        try
        {
            var pod = await WaitForPodAsync(kubernetes, name, stop.Token).ConfigureAwait(false);
            if (pod is null)
            {
                return (143, $"Kubernetes job {target.Namespace}/{name} was stopped before its pod started (run cancelled or step timed out).");
            }
            await using (var log = await kubernetes.CoreV1.ReadNamespacedPodLogAsync(pod, target.Namespace, container: "task", follow: true, cancellationToken: stop.Token).ConfigureAwait(false))
            {
                using var reader = new StreamReader(log);
                while (await reader.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } line)
                {
                    onStdoutLine(line);
                }
            }
            return await ExitAsync(kubernetes, pod, name, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return (143, $"Kubernetes job {target.Namespace}/{name} was stopped (run cancelled or step timed out).");
        }
        finally
        {
            await kubernetes.BatchV1.DeleteNamespacedJobAsync(name, target.Namespace, propagationPolicy: "Background").ConfigureAwait(false);
        }
    }

    private async Task<string?> WaitForPodAsync(IKubernetes kubernetes, string job, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var pods = await kubernetes.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: $"job-name={job}", cancellationToken: cancellationToken).ConfigureAwait(false);
            if (pods.Items.FirstOrDefault(p => p.Status?.Phase is "Running" or "Succeeded" or "Failed") is { } pod)
            {
                return pod.Metadata.Name;
            }
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>The container's exit code once it terminated (a vanished pod fails the attempt with the reason).</summary>
    private async Task<(int ExitCode, string Stderr)> ExitAsync(IKubernetes kubernetes, string pod, string job, CancellationToken cancellationToken)
    {
        while (true)
        {
            k8s.Models.V1Pod status;
            try
            {
                status = await kubernetes.CoreV1.ReadNamespacedPodAsync(pod, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return (1, $"The pod {pod} of Kubernetes job {target.Namespace}/{job} vanished before reporting an exit code.");
            }
            if (status.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "task")?.State?.Terminated is { } terminated)
            {
                return (terminated.ExitCode, terminated.Reason is { Length: > 0 } reason && terminated.ExitCode != 0 ? $"Pod {pod} ended: {reason} {terminated.Message}" : "");
            }
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private static IKubernetes Connect()
    {
        var config = Environment.GetEnvironmentVariable("SHARPFLOW_K8S_API") is { Length: > 0 } api ? new KubernetesClientConfiguration { Host = api }
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        return new Kubernetes(config);
    }
}
