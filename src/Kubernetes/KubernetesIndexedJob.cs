using System.Globalization;
using k8s;
using k8s.Models;
using Sharpflow.Compute;
using Sharpflow.Datastore;

namespace Sharpflow.Kubernetes;

/// <summary>
/// A foreach's first attempts on Kubernetes as Indexed Jobs (<c>completionMode: Indexed</c>), one per 100,000 elements
/// (Kubernetes' limit): element <c>i</c> is the pod with completion index <c>i</c>, whose worker fetches attempt
/// <c>i</c>'s spec from the datastore (the kubelet puts the pod's <c>JOB_COMPLETION_INDEX</c> into its arguments).
/// <c>parallelism</c> bounds the pods running at once (<c>[Kubernetes(MaxParallel = K)]</c>, else every element);
/// <c>backoffLimitPerIndex: 0</c> lets an element fail alone, without Kubernetes retrying it or stopping the others
/// (Sharpflow retries it alone, as a Job of its own). One pod listing per poll gives every element's state; each
/// started element's log is streamed to its task; its exit code comes from its container's terminated state; an element
/// past the step's timeout is stopped by its pod's own active deadline; cancelling the run deletes the Job.
/// </summary>
internal static class KubernetesIndexedJob
{
    /// <summary>The most completions one Indexed Job with a per-index backoff limit may have.</summary>
    public const int MaxCompletions = 100_000;

    /// <summary>The pod annotation that holds its completion index.</summary>
    private const string IndexAnnotation = "batch.kubernetes.io/job-completion-index";

    public static Task RunAsync(IKubernetes kubernetes, IReadOnlyList<TaskAttempt> attempts, ArrayElementExited onExited, TimeSpan poll, CancellationToken cancellationToken) =>
        ArrayChunks.RunAsync(attempts.Count, MaxCompletions, (first, count) => RunChunkAsync(kubernetes, attempts, first, count, onExited, poll, cancellationToken));

    /// <summary>Runs attempts [<paramref name="first"/>, first + count) as one Indexed Job.</summary>
    private static async Task RunChunkAsync(IKubernetes kubernetes, IReadOnlyList<TaskAttempt> attempts, int first, int count, ArrayElementExited onExited, TimeSpan poll, CancellationToken cancellationToken)
    {
        var head = attempts[first];
        var package = head.Package ?? throw new InvalidOperationException("The kubernetes backend runs the flow's code package from the datastore, and none was given.");
        var target = KubernetesTarget.From(head.Attribute as KubernetesAttribute, head.FlowName, head.Step);
        // Every element's spec goes to the datastore under its index; the pod's worker fetches its own.
        var specs = $"{head.FlowName}/{head.RunId}/_meta/specs/{head.Step}-{head.TaskId}-{head.Attempt}-array";
        var writes = new List<BlobWrite>(count);
        for (var i = 0; i < count; i++)
        {
            writes.Add(new BlobWrite($"{specs}/{i.ToString(CultureInfo.InvariantCulture)}.json", await File.ReadAllBytesAsync(KubernetesBackend.SpecFile(attempts[first + i]), CancellationToken.None).ConfigureAwait(false)));
        }
        await head.Datastore.SaveAsync(writes).ConfigureAwait(false);
        var container = KubernetesBackend.WorkerCommand(head, package, $"{specs}/$(JOB_COMPLETION_INDEX).json");
        var parallelism = head.Attribute is KubernetesAttribute { MaxParallel: > 0 } settings ? Math.Min(settings.MaxParallel, count) : count;
        var job = KubernetesJobManifest.ForArray(head, count, parallelism, target, container);
        var name = job.Metadata.Name;
        if (cancellationToken.IsCancellationRequested)
        {
            for (var i = 0; i < count; i++)
            {
                onExited(first + i, 143, "The run was cancelled before its Kubernetes Indexed Job was created.");
            }
            return;
        }

        await kubernetes.BatchV1.CreateNamespacedJobAsync(job, target.Namespace, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        head.OnStatus?.Invoke($"Submitted as Kubernetes Indexed Job {target.Namespace}/{name} ({count} elements, {parallelism} at a time).");
        var elements = Enumerable.Range(0, count).Select(i => new Element(attempts[first + i])).ToArray();
        var left = count;
        (int Index, int Code, string Stderr)? last = null; // reported once the Job is deleted: the run cannot end before that
        using var stopLogs = new CancellationTokenSource();
        try
        {
            while (left > 0 && !cancellationToken.IsCancellationRequested)
            {
                var pods = await kubernetes.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: $"job-name={name}", cancellationToken: CancellationToken.None).ConfigureAwait(false);
                foreach (var pod in pods.Items)
                {
                    if (IndexOf(pod) is not { } index || index < 0 || index >= count || elements[index].Ended)
                    {
                        continue;
                    }
                    var element = elements[index];
                    if (element.Pod is null && pod.Status?.Phase is "Running" or "Succeeded" or "Failed")
                    {
                        // The element has started: follow its log from here to its end.
                        element.Pod = pod.Metadata.Name;
                        element.Log = FollowLogAsync(kubernetes, target.Namespace, element.Pod, element.Attempt.OnStdoutLine, stopLogs.Token);
                    }
                    if (element.Pod == pod.Metadata.Name && Exit(pod) is { } exit)
                    {
                        await element.Log!.ConfigureAwait(false); // the log ends when the container does
                        element.Ended = true;
                        left--;
                        if (left == 0)
                        {
                            last = (index, exit.Code, exit.Stderr);
                        }
                        else
                        {
                            onExited(first + index, exit.Code, exit.Stderr);
                        }
                    }
                }
                var listed = pods.Items.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var element in elements.Where(e => !e.Ended && e.Pod is not null && !listed.Contains(e.Pod)))
                {
                    element.Pod = null; // deleted before it ended: the replacement pod is followed
                }
                if (left > 0)
                {
                    await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled while waiting: every element still running is stopped below.
        }
        finally
        {
            await stopLogs.CancelAsync().ConfigureAwait(false);
            try
            {
                await kubernetes.BatchV1.DeleteNamespacedJobAsync(name, target.Namespace, propagationPolicy: "Background", cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (last is { } ended)
                {
                    onExited(first + ended.Index, ended.Code, ended.Stderr);
                }
            }
        }
        foreach (var (element, index) in elements.Select((e, i) => (e, i)).Where(e => !e.e.Ended))
        {
            onExited(first + index, 143, $"Kubernetes Indexed Job {target.Namespace}/{name}: element {index} was stopped (run cancelled).");
        }
    }

    /// <summary>The pod's completion index, from the annotation the Job controller sets.</summary>
    private static int? IndexOf(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(IndexAnnotation, out var text) == true && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    /// <summary>The element's exit code and what to say about it, once its pod ended; null while it runs.</summary>
    private static (int Code, string Stderr)? Exit(V1Pod pod)
    {
        if (pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "task")?.State?.Terminated is { } terminated)
        {
            var stopped = pod.Status.Reason == "DeadlineExceeded";
            var code = stopped && terminated.ExitCode is 0 or 137 ? 143 : terminated.ExitCode;
            return (code, stopped ? $"Pod {pod.Metadata.Name} was stopped at the step's timeout." : terminated.ExitCode != 0 && terminated.Reason is { Length: > 0 } reason ? $"Pod {pod.Metadata.Name} ended: {reason} {terminated.Message}" : "");
        }
        if (pod.Status?.Phase == "Failed")
        {
            // Failed without its container having run (evicted, or its deadline passed before it started).
            return (pod.Status.Reason == "DeadlineExceeded" ? 143 : 1, $"Pod {pod.Metadata.Name} failed before its task ran: {pod.Status.Reason} {pod.Status.Message}".TrimEnd());
        }
        return null;
    }

    private static async Task FollowLogAsync(IKubernetes kubernetes, string ns, string pod, Action<string> onLine, CancellationToken cancellationToken)
    {
        try
        {
            await using var log = await kubernetes.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: "task", follow: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(log);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                onLine(line);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The element ended or the run was cancelled: its log is no longer followed.
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The pod was deleted before it ended: the Job controller starts another for its index, which is followed instead.
        }
    }

    /// <summary>One element: its attempt, the pod that runs it once started, and that pod's log.</summary>
    private sealed class Element(TaskAttempt attempt)
    {
        public TaskAttempt Attempt { get; } = attempt;

        public string? Pod { get; set; }

        public Task? Log { get; set; }

        public bool Ended { get; set; }
    }
}
