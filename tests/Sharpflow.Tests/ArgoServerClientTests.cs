using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Sharpflow.Argo;
using Sharpflow.Fixtures.Good;

namespace Sharpflow.Tests;

/// <summary>
/// The Argo Server client against recorded Argo Server responses served on loopback (no Argo cluster runs in CI):
/// what it sends (paths, bodies, the bearer token) and how it reads the answers and the errors.
/// </summary>
public class ArgoServerClientTests
{
    private const string Token = "argo-test-token-value";

    [Fact]
    public async Task CreateReplaceSubmitListAndDeleteSpeakTheArgoServersRestApi()
    {
        using var server = new RecordedArgoServer();
        server.Respond("GET /api/v1/workflow-templates/ml/linearflow", 404, """{"code":5,"message":"workflowtemplates.argoproj.io \"linearflow\" not found"}""");
        server.Respond("POST /api/v1/workflow-templates/ml", 200, """{"metadata":{"name":"linearflow","namespace":"ml","resourceVersion":"41"}}""");
        using var client = new ArgoServerClient(new Uri(server.Url), "Bearer " + Token);
        var template = ArgoTemplateTests.Compiler(typeof(LinearFlow)).WorkflowTemplate();

        await client.CreateOrUpdateTemplateAsync(template);
        var create = server.Requests[^1];
        Assert.Equal("POST /api/v1/workflow-templates/ml", create.Line);
        Assert.Equal("Bearer " + Token, create.Authorization);
        Assert.Equal("WorkflowTemplate", create.Body!["template"]!["kind"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(template, create.Body["template"]));

        // A second deploy replaces the template, carrying the stored resourceVersion (optimistic concurrency).
        server.Respond("GET /api/v1/workflow-templates/ml/linearflow", 200, """{"metadata":{"name":"linearflow","namespace":"ml","resourceVersion":"41"}}""");
        server.Respond("PUT /api/v1/workflow-templates/ml/linearflow", 200, """{"metadata":{"name":"linearflow","resourceVersion":"42"}}""");
        await client.CreateOrUpdateTemplateAsync(template);
        Assert.Equal("PUT /api/v1/workflow-templates/ml/linearflow", server.Requests[^1].Line);
        Assert.Equal("41", server.Requests[^1].Body!["template"]!["metadata"]!["resourceVersion"]!.GetValue<string>());

        server.Respond("POST /api/v1/workflows/ml/submit", 200, """{"metadata":{"name":"linearflow-x7k2p","namespace":"ml"},"status":{}}""");
        var name = await client.SubmitAsync("ml", "linearflow", new Dictionary<string, string> { ["alpha"] = "0.5" });
        Assert.Equal("linearflow-x7k2p", name);
        var submit = server.Requests[^1].Body!;
        Assert.Equal("WorkflowTemplate", submit["resourceKind"]!.GetValue<string>());
        Assert.Equal("linearflow", submit["resourceName"]!.GetValue<string>());
        Assert.Equal(["alpha=0.5"], submit["submitOptions"]!["parameters"]!.AsArray().Select(p => p!.GetValue<string>()));

        server.Respond("GET /api/v1/workflows/ml?listOptions.labelSelector=workflows.argoproj.io%2Fworkflow-template%3Dlinearflow", 200, """
            {"metadata":{},"items":[
              {"metadata":{"name":"linearflow-aaaaa"},"status":{"phase":"Failed","startedAt":"2026-11-24T10:00:00Z","finishedAt":"2026-11-24T10:05:00Z"}},
              {"metadata":{"name":"linearflow-x7k2p"},"status":{"phase":"Running","startedAt":"2026-11-25T09:00:00Z"}}]}
            """);
        var runs = await client.ListWorkflowsAsync("ml", "linearflow");
        Assert.Equal(["argo-linearflow-x7k2p", "argo-linearflow-aaaaa"], runs.Select(r => r.RunId));
        Assert.Equal("Running", runs[0].Phase);
        Assert.Null(runs[0].FinishedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 5, 0, TimeSpan.Zero), runs[1].FinishedAt);

        server.Respond("DELETE /api/v1/workflow-templates/ml/linearflow", 200, "{}");
        server.Respond("DELETE /api/v1/cron-workflows/ml/linearflow", 404, """{"code":5,"message":"not found"}""");
        Assert.True(await client.DeleteTemplateAsync("ml", "linearflow"));
        Assert.False(await client.DeleteCronWorkflowAsync("ml", "linearflow"));
    }

    [Fact]
    public async Task ARefusedRequestSaysWhatFailedAndWhyWithoutTheToken()
    {
        using var server = new RecordedArgoServer();
        server.Respond("POST /api/v1/workflows/ml/submit", 401, """{"code":16,"message":"token not valid"}""");
        using var client = new ArgoServerClient(new Uri(server.Url), Token);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SubmitAsync("ml", "linearflow", new Dictionary<string, string>()));
        Assert.Contains("401", error.Message);
        Assert.Contains("token not valid", error.Message);
        Assert.Contains("Check ARGO_TOKEN", error.Message);
        Assert.DoesNotContain(Token, error.Message);
        Assert.Equal("Bearer " + Token, server.Requests.Single().Authorization);
    }

    [Fact]
    public async Task TriggerRefusesAParameterTheFlowDoesNotHaveBeforeCallingTheServer()
    {
        using var server = new RecordedArgoServer();
        using var deployer = new Deployer(typeof(LinearFlow), new DeployerOptions { KubernetesNamespace = "ml", Server = new ArgoServerClient(new Uri(server.Url), Token) });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => deployer.TriggerAsync(new Dictionary<string, string> { ["alpah"] = "1" }));
        Assert.Contains("has no parameter --alpah", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task StatusTerminateSuspendAndResumeActOnlyOnTheDeploymentsOwnRunsThroughTheFlowsCli()
    {
        using var server = new RecordedArgoServer();
        var environment = new Dictionary<string, string> { ["ARGO_SERVER"] = server.Url, ["ARGO_TOKEN"] = Token, ["SHARPFLOW_USER"] = "alice", ["SHARPFLOW_K8S_NAMESPACE"] = "ml" };
        using var work = new TempDatastore();
        Task<ChildProcess.Result> ArgoAsync(params string[] args) =>
            ChildProcess.DotnetAsync(work.Root, environment, [ChildProcess.TestFlowsDll, "ArgoFeaturesFlow", "argo-workflows", .. args]);
        static string Workflow(string name, string template, string phase, bool suspended = false) => new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["workflows.argoproj.io/workflow-template"] = template } },
            ["spec"] = new JsonObject { ["suspend"] = suspended },
            ["status"] = new JsonObject { ["phase"] = phase, ["startedAt"] = "2026-11-25T09:00:00Z", ["progress"] = "1/3", ["message"] = suspended ? "suspended by alice" : "" },
        }.ToJsonString();
        const string Mine = "churn-user-alice-argofeaturesflow"; // [Project("churn")], the default branch of alice
        server.Respond("GET /api/v1/workflows/ml/churn-x1", 200, Workflow("churn-x1", Mine, "Running"));
        server.Respond("GET /api/v1/workflows/ml/churn-x2", 200, Workflow("churn-x2", Mine, "Running", suspended: true));
        server.Respond("GET /api/v1/workflows/ml/other-x3", 200, Workflow("other-x3", "someone-elses-flow", "Running"));
        server.Respond("GET /api/v1/workflows/ml/churn-old", 200, Workflow("churn-old", Mine, "Succeeded"));
        server.Respond("GET /api/v1/workflows/ml/nope", 404, """{"code":5,"message":"workflows.argoproj.io \"nope\" not found"}""");
        foreach (var action in new[] { "stop", "suspend", "resume" })
        {
            server.Respond($"PUT /api/v1/workflows/ml/churn-x1/{action}", 200, Workflow("churn-x1", Mine, "Running"));
            server.Respond($"PUT /api/v1/workflows/ml/churn-x2/{action}", 200, Workflow("churn-x2", Mine, "Running"));
        }
        string[] Puts() => server.Requests.Where(r => r.Line.StartsWith("PUT", StringComparison.Ordinal)).Select(r => r.Line).ToArray();

        var status = await ArgoAsync("status", "argo-churn-x1");
        Assert.True(status.ExitCode == 0, status.Stdout + status.Stderr);
        Assert.StartsWith("argo-churn-x1  Running  1/3 tasks  started 2026-11-25 09:00:00Z", status.Stdout);
        Assert.Equal("Bearer " + Token, server.Requests[^1].Authorization);

        var suspend = await ArgoAsync("suspend", "churn-x1");
        Assert.True(suspend.ExitCode == 0, suspend.Stdout + suspend.Stderr);
        Assert.Equal(["PUT /api/v1/workflows/ml/churn-x1/suspend"], Puts());
        Assert.Equal("churn-x1", server.Requests.Last(r => r.Line.StartsWith("PUT", StringComparison.Ordinal)).Body!["name"]!.GetValue<string>());

        var notSuspended = await ArgoAsync("resume", "argo-churn-x1");
        Assert.Equal(2, notSuspended.ExitCode);
        Assert.Contains("Run 'argo-churn-x1' is not suspended; there is nothing to resume.", notSuspended.Stderr);
        var resumed = await ArgoAsync("unsuspend", "argo-churn-x2");
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("suspended by alice", (await ArgoAsync("status", "churn-x2")).Stdout);

        var terminate = await ArgoAsync("terminate", "argo-churn-x1");
        Assert.True(terminate.ExitCode == 0, terminate.Stdout + terminate.Stderr);
        Assert.Equal(["PUT /api/v1/workflows/ml/churn-x1/suspend", "PUT /api/v1/workflows/ml/churn-x2/resume", "PUT /api/v1/workflows/ml/churn-x1/stop"], Puts());

        // Refused, with nothing sent: another deployment's run, a finished run, a workflow Argo does not have.
        var other = await ArgoAsync("terminate", "argo-other-x3");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("Workflow 'other-x3' was started from 'someone-elses-flow', not from this flow's deployment 'churn-user-alice-argofeaturesflow'", other.Stderr);
        var finished = await ArgoAsync("suspend", "argo-churn-old");
        Assert.Equal(2, finished.ExitCode);
        Assert.Contains("Run 'argo-churn-old' has finished (Succeeded); there is nothing to suspend.", finished.Stderr);
        var missing = await ArgoAsync("status", "argo-nope");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Argo has no workflow 'nope' in namespace 'ml'", missing.Stderr);
        Assert.Equal(3, Puts().Length);
    }

    /// <summary>Serves recorded responses by request line (<c>METHOD path?query</c>) on loopback and records each request.</summary>
    private sealed class RecordedArgoServer : IDisposable
    {
        private readonly Dictionary<string, (int Status, string Body)> _responses = [];
        private readonly LoopbackHttpServer _server;

        public RecordedArgoServer() => _server = new LoopbackHttpServer(RespondAsync);

        public sealed record Request(string Line, string? Authorization, JsonNode? Body);

        public string Url => _server.Url;

        public List<Request> Requests { get; } = [];

        public void Respond(string line, int status, string body)
        {
            lock (_responses)
            {
                _responses[line] = (status, body);
            }
        }

        private async Task<(int, string, string)> RespondAsync(HttpListenerContext context)
        {
            var line = $"{context.Request.HttpMethod} {context.Request.RawUrl}";
            var text = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
            lock (Requests)
            {
                Requests.Add(new Request(line, context.Request.Headers["Authorization"], text.Length == 0 ? null : JsonNode.Parse(text)));
            }
            lock (_responses)
            {
                var (status, body) = _responses.TryGetValue(line, out var recorded) ? recorded : (500, $$"""{"message":"no recorded response for {{line}}"}""");
                return (status, "application/json", body);
            }
        }

        public void Dispose() => _server.Dispose();
    }
}
