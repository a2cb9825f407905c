using k8s;
using k8s.Autorest;
using Sharpflow.Compute;
using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Packaging;

namespace Sharpflow.Kubernetes;

/// <summary>
/// Runs a task attempt as a Kubernetes Job (<see cref="KubernetesJobManifest"/>): the task spec goes to the datastore,
/// the pod's worker fetches the code package and the spec from there, the pod's log is streamed back line by line,
/// the exit code comes from the container's terminated state, and the Job is deleted when it ends or the run is
/// cancelled or times out. The tasks a foreach fans out to the step go as one Indexed Job (<see cref="KubernetesIndexedJob"/>).
/// The cluster is reached from the kubeconfig, in-cluster credentials, or <c>SHARPFLOW_K8S_API</c>.
/// </summary>
public sealed class KubernetesBackend : IArrayComputeBackend
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    public string Name => "kubernetes";

    /// <inheritdoc />
    public Type? AttributeType => typeof(KubernetesAttribute);

    /// <inheritdoc />
    public WorkerProgram Program => WorkerProgram.Datastore;

    /// <inheritdoc />
    public bool ReachesLocalDatastore => true; // a cluster may mount the folder; the pod says so if it cannot

    /// <inheritdoc />
    public string SpecDirectory(RunnerOptions options) => Path.GetTempPath();

    /// <inheritdoc />
    public bool LaunchesAsArray(IComputeAttribute? attribute) => attribute is not KubernetesAttribute { IndexedJob: false };

    /// <inheritdoc />
    public Task LaunchArrayAsync(IReadOnlyList<TaskAttempt> attempts, ArrayElementExited onExited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(onExited);
        return KubernetesIndexedJob.RunAsync(Connect(), attempts, onExited, Poll, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<(int ExitCode, string Stderr)> LaunchAsync(TaskAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var package = attempt.Package ?? throw new InvalidOperationException("The kubernetes backend runs the flow's code package from the datastore, and none was given.");
        var target = KubernetesTarget.From(attempt.Attribute as KubernetesAttribute, attempt.FlowName, attempt.Step);
        var kubernetes = Connect();
        // The spec travels through the datastore; the worker in the pod fetches it (and the package) from there.
        var specKey = $"{attempt.FlowName}/{attempt.RunId}/_meta/specs/{attempt.Step}-{attempt.TaskId}-{attempt.Attempt}.json";
        await attempt.Datastore.SaveAsync([new BlobWrite(specKey, await File.ReadAllBytesAsync(SpecFile(attempt)).ConfigureAwait(false))]).ConfigureAwait(false);
        var container = WorkerCommand(attempt, package, specKey);

        var job = KubernetesJobManifest.For(attempt, target, container);
        var name = job.Metadata.Name;
        var onStdoutLine = attempt.OnStdoutLine;
        await kubernetes.BatchV1.CreateNamespacedJobAsync(job, target.Namespace).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (attempt.Deadline is { } limit)
        {
            stop.CancelAfter(limit);
        }
        try
        {
            var pod = await WaitForPodAsync(kubernetes, target, name, stop.Token).ConfigureAwait(false);
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
            return await ExitAsync(kubernetes, target, pod, name, stop.Token).ConfigureAwait(false);
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

    /// <summary>The attempt's spec file, which the scheduler wrote for a local worker (<c>--spec</c>).</summary>
    internal static string SpecFile(TaskAttempt attempt) => attempt.Command[attempt.Command.ToList().IndexOf("--spec") + 1];

    /// <summary>
    /// The pod's command: the image's worker runs the flow's code package from the datastore with the attempt's
    /// arguments, its spec read from the datastore at <paramref name="specKey"/> instead of a local file.
    /// </summary>
    internal static string[] WorkerCommand(TaskAttempt attempt, CodePackageManifest package, string specKey)
    {
        var arguments = attempt.Command.Skip(2).ToArray();
        var specIndex = Array.IndexOf(arguments, "--spec") + 1;
        arguments[specIndex - 1] = "--spec-key";
        arguments[specIndex] = specKey;
        var root = arguments[Array.IndexOf(arguments, "--datastore") + 1];
        return ["dotnet", KubernetesTarget.WorkerPath, "--package", root, package.Flow, package.Hash, .. arguments];
    }

    private static async Task<string?> WaitForPodAsync(IKubernetes kubernetes, KubernetesTarget target, string job, CancellationToken cancellationToken)
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
    private static async Task<(int ExitCode, string Stderr)> ExitAsync(IKubernetes kubernetes, KubernetesTarget target, string pod, string job, CancellationToken cancellationToken)
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

    internal static IKubernetes Connect()
    {
        var config = Environment.GetEnvironmentVariable("SHARPFLOW_K8S_API") is { Length: > 0 } api ? new KubernetesClientConfiguration { Host = api }
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        return new k8s.Kubernetes(config);
    }
}
