using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Sharpflow.Tests;

/// <summary>
/// The part of the Kubernetes API a Sharpflow step uses, on loopback, with pods that really run: no API server can be had
/// on these machines, so this stands in for the Job controller and the kubelet as Kubernetes documents them. A created
/// Job's pods run its container command here, the image's worker (<c>/sharpflow/Sharpflow.Worker.dll</c>) being the
/// one this build made: one pod for a plain Job; for an Indexed Job one pod per completion index, at most
/// <c>parallelism</c> at once, each with <c>JOB_COMPLETION_INDEX</c> in its environment and its annotation, and
/// <c>$(VAR)</c> in its command expanded from its environment; a failed index is not retried (the Jobs Sharpflow makes
/// say <c>backoffLimitPerIndex: 0</c> or <c>backoffLimit: 0</c>). It serves pod listings by <c>job-name</c>, pod
/// status, pod logs (once the container ended) and Job deletion, and records what it was sent.
/// </summary>
internal sealed class KubernetesSimulator : IDisposable
{
    private const string IndexAnnotation = "batch.kubernetes.io/job-completion-index";
    private readonly LoopbackHttpServer _server;
    private readonly string _workerDll;
    private readonly ConcurrentDictionary<string, Pod> _pods = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];
    private bool _closing;


    private readonly TaskCompletionSource _podStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public KubernetesSimulator(string workerDll)
    {
        _workerDll = workerDll;
        _server = new LoopbackHttpServer(RespondAsync);
    }

    public string Url => _server.Url;

    public List<JsonNode> CreatedJobs { get; } = [];

    public List<string> DeletedJobs { get; } = [];

    /// <summary>Completes when the first pod's container has started.</summary>
    public Task PodStarted => _podStarted.Task;

    /// <summary>Completes when every pod created so far has ended.</summary>
    public Task AllPodsEnded => Task.WhenAll(_pods.Values.Select(p => p.Ended.Task));

    private async Task<(int, string, string)> RespondAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.HttpMethod == "POST" && path.EndsWith("/jobs", StringComparison.Ordinal))
        {
            using var reader = new StreamReader(request.InputStream);
            var job = JsonNode.Parse(await reader.ReadToEndAsync())!;
            lock (CreatedJobs)
            {
                CreatedJobs.Add(job);
                _running.Add(Task.Run(() => RunJobAsync(job)));
            }
            return (201, "application/json", job.ToJsonString());
        }
        if (request.HttpMethod == "DELETE")
        {
            lock (DeletedJobs)
            {
                DeletedJobs.Add(segments[^1]);
            }
            // Its pods go with it (propagationPolicy: Background). A pod registered after this loop sees the deletion itself.
            foreach (var doomed in _pods.Values.Where(p => p.Job == segments[^1]))
            {
                await doomed.Deleted.CancelAsync();
            }
            return (200, "application/json", "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\"}");
        }
        if (path.EndsWith("/log", StringComparison.Ordinal) && _pods.TryGetValue(segments[^2], out var logged))
        {
            await logged.Ended.Task; // the whole log, once the container ended (a follow that ends with it)
            return (200, "text/plain", logged.Log);
        }
        if (path.EndsWith("/pods", StringComparison.Ordinal))
        {
            var job = (request.QueryString["labelSelector"] ?? "").Split('=', 2) is ["job-name", var name] ? name : null;
            var items = new JsonArray([.. _pods.Values.Where(p => job is null || p.Job == job).OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.ToJson())]);
            return (200, "application/json", new JsonObject { ["kind"] = "PodList", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["items"] = items }.ToJsonString());
        }
        if (segments is [.., "pods", var podName] && _pods.TryGetValue(podName, out var pod))
        {
            return (200, "application/json", pod.ToJson().ToJsonString());
        }
        return (404, "application/json", "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":404}");
    }

    /// <summary>Runs a Job's pods: every completion index of an Indexed Job, <c>parallelism</c> at a time; else one pod.</summary>
    private async Task RunJobAsync(JsonNode job)
    {
        var name = job["metadata"]!["name"]!.GetValue<string>();
        var spec = job["spec"]!;
        var indexed = spec["completionMode"]?.GetValue<string>() == "Indexed";
        var completions = indexed ? spec["completions"]!.GetValue<int>() : 1;
        using var slots = new SemaphoreSlim(indexed ? spec["parallelism"]?.GetValue<int>() ?? completions : 1);
        await Task.WhenAll(Enumerable.Range(0, completions).Select(async index =>
        {
            await slots.WaitAsync();
            try
            {
                if (!IsDeleted(name))
                {
                    await RunPodAsync(name, spec["template"]!["spec"]!["containers"]![0]!, indexed ? index : null);
                }
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    /// <summary>Whether the Job was deleted, or the whole cluster is going away.</summary>
    private bool IsDeleted(string job)
    {
        lock (DeletedJobs)
        {
            return _closing || DeletedJobs.Contains(job);
        }
    }

    private async Task RunPodAsync(string job, JsonNode container, int? index)
    {
        var pod = new Pod($"{job}-{(index is { } i ? i.ToString(CultureInfo.InvariantCulture) + "-" : "")}{Guid.NewGuid().ToString("N")[..5]}", job, index);
        var environment = (container["env"]?.AsArray() ?? []).ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        if (index is { } completionIndex)
        {
            environment["JOB_COMPLETION_INDEX"] = completionIndex.ToString(CultureInfo.InvariantCulture);
        }
        // The kubelet expands $(VAR) in a container's command from the container's environment.
        var command = container["command"]!.AsArray().Select(c => environment.Aggregate(c!.GetValue<string>(), (text, v) => text.Replace($"$({v.Key})", v.Value, StringComparison.Ordinal))).ToArray();
        Assert.Equal(["dotnet", Kubernetes.KubernetesTarget.WorkerPath], command[..2]);
        command[1] = _workerDll;
        _pods[pod.Name] = pod;
        if (IsDeleted(job))
        {
            await pod.Deleted.CancelAsync(); // the Job went between the controller's check and the pod's registration
        }
        var folder = Directory.CreateTempSubdirectory("k8s-pod-").FullName;
        try
        {
            var running = ChildProcess.RunAsync(command[0], folder, environment, TimeSpan.FromMinutes(5), pod.Deleted.Token, command[1..]);
            _podStarted.TrySetResult();
            var result = await running;
            pod.Exit(result.ExitCode, result.Stdout + result.Stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose()
    {
        Task[] running;
        lock (CreatedJobs)
        {
            running = [.. _running];
        }
        lock (DeletedJobs)
        {
            _closing = true; // a pod registered after the loop below sees this itself
        }
        foreach (var pod in _pods.Values)
        {
            pod.Deleted.Cancel(); // the cluster goes away with its pods: a test that failed early does not wait out their time limits
        }
        Task.WaitAll(running); // every pod's process has ended
        _server.Dispose();
        foreach (var pod in _pods.Values)
        {
            pod.Deleted.Dispose();
        }
    }

    /// <summary>A pod: running until its container's process exits, then Succeeded or Failed with its exit code and log.</summary>
    private sealed class Pod(string name, string job, int? index)
    {
        public string Name { get; } = name;

        public string Job { get; } = job;

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Cancelled when the pod's Job is deleted: its process is killed.</summary>
        public CancellationTokenSource Deleted { get; } = new();

        public string Log { get; private set; } = "";

        private int? _exitCode;

        public void Exit(int exitCode, string log)
        {
            Log = log;
            _exitCode = exitCode;
            Ended.SetResult();
        }

        public JsonObject ToJson()
        {
            var metadata = new JsonObject { ["name"] = Name, ["labels"] = new JsonObject { ["job-name"] = Job } };
            if (index is { } i)
            {
                metadata["annotations"] = new JsonObject { [IndexAnnotation] = i.ToString(CultureInfo.InvariantCulture) };
            }
            var state = _exitCode is { } code
                ? new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = code, ["reason"] = code == 0 ? "Completed" : "Error" } }
                : new JsonObject { ["running"] = new JsonObject() };
            return new JsonObject
            {
                ["kind"] = "Pod",
                ["apiVersion"] = "v1",
                ["metadata"] = metadata,
                ["status"] = new JsonObject
                {
                    ["phase"] = _exitCode switch { null => "Running", 0 => "Succeeded", _ => "Failed" },
                    ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "task", ["image"] = "x", ["imageID"] = "", ["ready"] = _exitCode is null, ["restartCount"] = 0, ["state"] = state }),
                },
            };
        }
    }
}
