using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Sharpflow.Tests;

/// <summary>
/// The Kubernetes backend. No API server can be had on these machines, so the client code runs against recorded API
/// responses served on loopback (<see cref="RecordedKubernetesApi"/>) or against <see cref="KubernetesSimulator"/>, whose
/// pods run the real worker here, and every Job it creates is validated with an independent validator generated from the
/// official Kubernetes OpenAPI schema (npm kubernetes-models, tests/k8s-validate).
/// </summary>
public class KubernetesTests
{
    [Fact]
    public async Task AStepBecomesAValidGpuJobWhosePodLogAndExitCodeComeBackAndWhichIsDeleted()
    {
        using var api = new RecordedKubernetesApi(exitCode: 3, log: ["worker started", "loading package"]);
        using var work = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(work.Root, new Dictionary<string, string> { ["SHARPFLOW_K8S_API"] = api.Url, ["AWS_SECRET_ACCESS_KEY"] = "k8s-test-secret-value", ["AWS_REGION"] = "eu-west-3" },
            ChildProcess.TestFlowsDll, "KubernetesFlow", "run", "--datastore", work.Root);

        // The recorded pod exited with 3 without running the task: the attempt fails with that exit code and its log.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exited with code 3", result.Stdout);
        var run = new Client.Flow("KubernetesFlow", work.Client).LatestRun!;
        Assert.Contains("loading package", run["Train"].Task.Stdout);

        var job = Assert.Single(api.CreatedJobs);
        Assert.Equal("ml", api.Namespaces.Single());
        var container = job["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("registry.example/sharpflow-worker:10", container["image"]!.GetValue<string>());
        Assert.Equal("1", container["resources"]!["limits"]!["nvidia.com/gpu"]!.GetValue<string>());
        Assert.Equal("8G", container["resources"]!["limits"]!["memory"]!.GetValue<string>());
        Assert.Equal("sharpflow-datastore", container["envFrom"]![0]!["secretRef"]!["name"]!.GetValue<string>());
        Assert.Equal("true", job["spec"]!["template"]!["spec"]!["nodeSelector"]!["nvidia.com/gpu.present"]!.GetValue<string>());
        Assert.Equal("NoSchedule", job["spec"]!["template"]!["spec"]!["tolerations"]![0]!["effect"]!.GetValue<string>());
        Assert.Equal(0, job["spec"]!["backoffLimit"]!.GetValue<int>()); // retries are Sharpflow's
        var command = container["command"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Equal(["dotnet", "/sharpflow/Sharpflow.Worker.dll", "--package", work.Root, "KubernetesFlow"], command[..5]);
        Assert.Contains("--spec-key", command);
        // Plain settings travel as env; credentials only through the Secret, never in the manifest.
        Assert.Contains(container["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "AWS_REGION" && e["value"]!.GetValue<string>() == "eu-west-3");
        Assert.DoesNotContain("k8s-test-secret-value", job.ToJsonString());
        Assert.Equal([job["metadata"]!["name"]!.GetValue<string>()], api.DeletedJobs);

        // The manifest as sent is valid against the Kubernetes schema.
        await ManifestValidator.AssertValidAsync(job, Path.Combine(work.Root, "job.json"));
    }

    [Fact]
    public async Task AForeachIsOneIndexedJobWhosePodsEachRunTheirOwnTaskAndAFailedElementIsRetriedAloneAsAJob()
    {
        using var cluster = new KubernetesSimulator(Path.Combine(AppContext.BaseDirectory, "Sharpflow.Worker.dll"));
        using var work = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(work.Root, new Dictionary<string, string> { ["SHARPFLOW_K8S_API"] = cluster.Url },
            ChildProcess.TestFlowsDll, "KubernetesArrayFlow", "run", "--datastore", work.Root);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);

        // One Indexed Job for the 6 tasks, 3 pods at a time, no Kubernetes retries; then the failed element's retry as a Job of its own.
        Assert.Equal(2, cluster.CreatedJobs.Count);
        var array = cluster.CreatedJobs[0];
        Assert.Equal("Indexed", array["spec"]!["completionMode"]!.GetValue<string>());
        Assert.Equal(6, array["spec"]!["completions"]!.GetValue<int>());
        Assert.Equal(3, array["spec"]!["parallelism"]!.GetValue<int>());
        Assert.Equal(0, array["spec"]!["backoffLimitPerIndex"]!.GetValue<int>());
        var container = array["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("1", container["resources"]!["limits"]!["nvidia.com/gpu"]!.GetValue<string>());
        Assert.Contains(container["command"]!.AsArray(), c => c!.GetValue<string>().EndsWith("/$(JOB_COMPLETION_INDEX).json", StringComparison.Ordinal));
        var retry = cluster.CreatedJobs[1];
        Assert.Null(retry["spec"]!["completionMode"]);
        Assert.Equal(0, retry["spec"]!["backoffLimit"]!.GetValue<int>());
        Assert.Equal(cluster.CreatedJobs.Select(j => j["metadata"]!["name"]!.GetValue<string>()).Order(), cluster.DeletedJobs.Order());

        // Element i ran item i's task, its log reached that task, and every artifact is right.
        var run = new Client.Flow("KubernetesArrayFlow", work.Client).LatestRun!;
        Assert.True(run.Successful);
        Assert.Equal(Enumerable.Range(0, 6).Sum(i => (long)i * i), run["Join"].Task["Total"].Get<long>());
        foreach (var task in run["Train"].Tasks)
        {
            var item = task["Item"].Get<int>();
            Assert.Equal(item * item, task["Squared"].Get<int>());
            // The failed item's second attempt ran as a plain Job (no completion index); every other task ran as its element.
            Assert.Equal(item == 2 ? "" : item.ToString(System.Globalization.CultureInfo.InvariantCulture), task["CompletionIndex"].Get<string>());
            Assert.Contains($"item {item} in the pod of completion index", task.Stdout);
        }
        Assert.Equal(Enumerable.Range(0, 6), run["Train"].Tasks.Select(t => t["Item"].Get<int>()).Order());

        // The Indexed Job as sent is valid against the Kubernetes schema.
        await ManifestValidator.AssertValidAsync(array, Path.Combine(work.Root, "indexed-job.json"));
    }

    [Fact]
    public async Task CancellingTheRunDeletesItsIndexedJobAndItsPodsStop()
    {
        using var cluster = new KubernetesSimulator(Path.Combine(AppContext.BaseDirectory, "Sharpflow.Worker.dll"));
        using var work = new TempDatastore();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = work.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { ChildProcess.TestFlowsDll, "KubernetesArrayFlow", "run", "--datastore", work.Root, "--hold", "600", "--fail-item", "-1" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["SHARPFLOW_K8S_API"] = cluster.Url;
        using var cli = System.Diagnostics.Process.Start(start)!;
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        await cluster.PodStarted.WaitAsync(TimeSpan.FromMinutes(2));

        // SIGTERM takes the CLI's Ctrl-C path (see SlurmTests.CancellingTheRunCancelsItsJobs).
        Assert.Equal(0, (await ChildProcess.RunAsync("kill", work.Root, null, "-TERM", cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        using (var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            try
            {
                await cli.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                cli.Kill(entireProcessTree: true);
                await cli.WaitForExitAsync();
                Assert.Fail($"The run did not stop within 2 minutes of SIGTERM.\nstdout:\n{await output}\nstderr:\n{await errors}");
            }
        }
        await output;
        await errors;

        // The Indexed Job was deleted, which stopped its pods (not left to run for 600 s), and the run says it was cancelled.
        var job = Assert.Single(cluster.CreatedJobs);
        Assert.Equal("Indexed", job["spec"]!["completionMode"]!.GetValue<string>());
        Assert.Contains(job["metadata"]!["name"]!.GetValue<string>(), cluster.DeletedJobs);
        await cluster.AllPodsEnded.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(Metadata.RunStatus.Cancelled, new Client.Flow("KubernetesArrayFlow", work.Client).LatestRun!.Status);
    }

    /// <summary>
    /// Recorded Kubernetes API responses on loopback: job creation (echoes the Job), the job's pod (Succeeded, then
    /// terminated with the given exit code), its log, and job deletion; it records what the client sent.
    /// </summary>
    private sealed class RecordedKubernetesApi : IDisposable
    {
        private readonly LoopbackHttpServer _server;
        private readonly int _exitCode;
        private readonly string[] _log;

        public RecordedKubernetesApi(int exitCode, string[] log)
        {
            _exitCode = exitCode;
            _log = log;
            _server = new LoopbackHttpServer(RespondAsync);
        }

        public string Url => _server.Url;

        public List<JsonNode> CreatedJobs { get; } = [];

        public List<string> DeletedJobs { get; } = [];

        public HashSet<string> Namespaces { get; } = [];

        private async Task<(int, string, string)> RespondAsync(HttpListenerContext context)
        {
            var path = context.Request.Url!.AbsolutePath;
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var ns = segments.SkipWhile(s => s != "namespaces").Skip(1).FirstOrDefault() ?? "";
            lock (Namespaces)
            {
                Namespaces.Add(ns);
            }
            string body;
            var status = 200;
            var type = "application/json";
            if (context.Request.HttpMethod == "POST" && path.EndsWith("/jobs", StringComparison.Ordinal))
            {
                using var reader = new StreamReader(context.Request.InputStream);
                var job = JsonNode.Parse(await reader.ReadToEndAsync())!;
                lock (CreatedJobs)
                {
                    CreatedJobs.Add(job);
                }
                body = job.ToJsonString();
                status = 201;
            }
            else if (context.Request.HttpMethod == "DELETE")
            {
                lock (DeletedJobs)
                {
                    DeletedJobs.Add(segments[^1]);
                }
                body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\"}";
            }
            else if (path.EndsWith("/log", StringComparison.Ordinal))
            {
                body = string.Join('\n', _log) + "\n";
                type = "text/plain";
            }
            else if (path.EndsWith("/pods", StringComparison.Ordinal))
            {
                body = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"task-pod\"},\"status\":{\"phase\":\"Succeeded\"}}]}";
            }
            else if (path.EndsWith("/pods/task-pod", StringComparison.Ordinal))
            {
                body = $"{{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{{\"name\":\"task-pod\"}},\"status\":{{\"phase\":\"Failed\",\"containerStatuses\":[{{\"name\":\"task\",\"image\":\"x\",\"imageID\":\"\",\"ready\":false,\"restartCount\":0,\"state\":{{\"terminated\":{{\"exitCode\":{_exitCode},\"reason\":\"Error\"}}}}}}]}}}}";
            }
            else
            {
                status = 404;
                body = "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":404}";
            }
            return (status, type, body);
        }

        public void Dispose() => _server.Dispose();
    }
}
