using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Sharpflow.Argo;

/// <summary>A workflow (one run) that Argo started from a deployed template.</summary>
/// <param name="Name">The workflow's name; the Sharpflow run id is <c>argo-&lt;name&gt;</c>.</param>
/// <param name="Phase">Argo's phase: Pending, Running, Succeeded, Failed, Error.</param>
/// <param name="StartedAt">When it started, if it has.</param>
/// <param name="FinishedAt">When it finished, if it has.</param>
public sealed record ArgoWorkflowRun(string Name, string Phase, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    /// <summary>The Sharpflow run id of this workflow.</summary>
    public string RunId => "argo-" + Name;

    /// <summary>The template the workflow was started from (its <c>workflows.argoproj.io/workflow-template</c> label), when known.</summary>
    public string? Template { get; init; }

    /// <summary>True while the workflow is suspended (<c>spec.suspend</c>).</summary>
    public bool Suspended { get; init; }

    /// <summary>Argo's progress, done/total tasks (e.g. <c>3/5</c>), when known.</summary>
    public string? Progress { get; init; }

    /// <summary>Argo's message on the workflow (why it failed or was stopped), when any.</summary>
    public string? Message { get; init; }
}

/// <summary>What <see cref="ArgoServerClient.ActAsync"/> does to a running workflow.</summary>
public enum ArgoWorkflowAction
{
    /// <summary>Stops it; its exit handler still runs, so Sharpflow records how the run ended (<c>argo stop</c>).</summary>
    Stop,

    /// <summary>Pauses it: no new step starts until it is resumed (<c>argo suspend</c>).</summary>
    Suspend,

    /// <summary>Lets a suspended workflow go on (<c>argo resume</c>).</summary>
    Resume,
}

/// <summary>
/// The Argo Server's REST API (<c>/api/v1/...</c>): create or update workflow and cron templates, submit a workflow
/// from a template, list a template's workflows, delete. The server comes from <c>ARGO_SERVER</c> and the bearer
/// token from <c>ARGO_TOKEN</c> (as the <c>argo</c> CLI reads them); the token is sent only in the Authorization
/// header and never appears in an error.
/// </summary>
public sealed class ArgoServerClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client of the Argo Server at <paramref name="server"/>.</summary>
    /// <param name="server">The server's base address, e.g. <c>https://argo.example.com:2746</c>.</param>
    /// <param name="token">A bearer token (with or without the <c>Bearer </c> prefix), or null.</param>
    /// <param name="handler">The HTTP handler (tests pass their own); disposed with the client.</param>
    public ArgoServerClient(Uri server, string? token, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        _http = new HttpClient(handler ?? new HttpClientHandler()) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        if (!string.IsNullOrWhiteSpace(token))
        {
            var value = token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token["Bearer ".Length..] : token;
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", value.Trim());
        }
    }

    /// <summary>A client from <c>ARGO_SERVER</c> and <c>ARGO_TOKEN</c>; a clear error when the server is not set.</summary>
    public static ArgoServerClient FromEnvironment()
    {
        var server = Environment.GetEnvironmentVariable("ARGO_SERVER");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException("Set ARGO_SERVER to the Argo Server's address (e.g. https://argo.example.com:2746) and ARGO_TOKEN to a bearer token, or use --output to write the template to a file.");
        }
        var uri = server.Contains("://", StringComparison.Ordinal) ? new Uri(server) : new Uri("https://" + server);
        return new ArgoServerClient(uri, Environment.GetEnvironmentVariable("ARGO_TOKEN"));
    }

    /// <summary>Creates the workflow template, or replaces the one of the same name.</summary>
    public Task CreateOrUpdateTemplateAsync(JsonObject template, CancellationToken cancellationToken = default) =>
        CreateOrUpdateAsync("workflow-templates", "template", template, cancellationToken);

    /// <summary>Creates the cron workflow, or replaces the one of the same name.</summary>
    public Task CreateOrUpdateCronWorkflowAsync(JsonObject cronWorkflow, CancellationToken cancellationToken = default) =>
        CreateOrUpdateAsync("cron-workflows", "cronWorkflow", cronWorkflow, cancellationToken);

    /// <summary>Starts a workflow from the template with the given parameter values; returns the new workflow's name.</summary>
    public async Task<string> SubmitAsync(string @namespace, string template, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var body = new JsonObject
        {
            ["namespace"] = @namespace,
            ["resourceKind"] = "WorkflowTemplate",
            ["resourceName"] = template,
            ["submitOptions"] = new JsonObject { ["parameters"] = new JsonArray(parameters.Select(p => (JsonNode?)$"{p.Key}={p.Value}").ToArray()) },
        };
        var workflow = await SendAsync(HttpMethod.Post, $"api/v1/workflows/{Escape(@namespace)}/submit", body, cancellationToken).ConfigureAwait(false);
        return workflow?["metadata"]?["name"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"The Argo Server accepted the submission of {@namespace}/{template} but returned no workflow name.");
    }

    /// <summary>One workflow, or null when the namespace has none of that name.</summary>
    public async Task<ArgoWorkflowRun?> GetWorkflowAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var workflow = await SendAsync(HttpMethod.Get, $"api/v1/workflows/{Escape(@namespace)}/{Escape(name)}", null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return workflow is null ? null : RunOf(workflow);
    }

    /// <summary>Stops, suspends or resumes a workflow (<c>PUT /api/v1/workflows/{namespace}/{name}/{action}</c>).</summary>
    public async Task ActAsync(string @namespace, string name, ArgoWorkflowAction action, CancellationToken cancellationToken = default)
    {
        var verb = action.ToString().ToLowerInvariant();
        await SendAsync(HttpMethod.Put, $"api/v1/workflows/{Escape(@namespace)}/{Escape(name)}/{verb}",
            new JsonObject { ["name"] = name, ["namespace"] = @namespace }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The workflows started from the template, newest first.</summary>
    public async Task<IReadOnlyList<ArgoWorkflowRun>> ListWorkflowsAsync(string @namespace, string template, CancellationToken cancellationToken = default)
    {
        var selector = Uri.EscapeDataString($"workflows.argoproj.io/workflow-template={template}");
        var list = await SendAsync(HttpMethod.Get, $"api/v1/workflows/{Escape(@namespace)}?listOptions.labelSelector={selector}", null, cancellationToken).ConfigureAwait(false);
        return (list?["items"]?.AsArray() ?? [])
            .Select(item => RunOf(item!))
            .OrderByDescending(r => r.StartedAt ?? DateTimeOffset.MaxValue)
            .ToArray();
    }

    private static ArgoWorkflowRun RunOf(JsonNode item) => new(
        item["metadata"]!["name"]!.GetValue<string>(),
        item["status"]?["phase"]?.GetValue<string>() ?? "Pending",
        Time(item["status"]?["startedAt"]),
        Time(item["status"]?["finishedAt"]))
    {
        Template = item["metadata"]?["labels"]?["workflows.argoproj.io/workflow-template"]?.GetValue<string>(),
        Suspended = item["spec"]?["suspend"]?.GetValue<bool>() == true,
        Progress = item["status"]?["progress"]?.GetValue<string>(),
        Message = item["status"]?["message"]?.GetValue<string>(),
    };

    /// <summary>Deletes the workflow template; false when there was none.</summary>
    public Task<bool> DeleteTemplateAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        DeleteAsync($"api/v1/workflow-templates/{Escape(@namespace)}/{Escape(name)}", cancellationToken);

    /// <summary>Deletes the cron workflow; false when there was none.</summary>
    public Task<bool> DeleteCronWorkflowAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        DeleteAsync($"api/v1/cron-workflows/{Escape(@namespace)}/{Escape(name)}", cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task CreateOrUpdateAsync(string kind, string field, JsonObject resource, CancellationToken cancellationToken)
    {
        var metadata = resource["metadata"]!.AsObject();
        var (ns, name) = (metadata["namespace"]!.GetValue<string>(), metadata["name"]!.GetValue<string>());
        var existing = await SendAsync(HttpMethod.Get, $"api/v1/{kind}/{Escape(ns)}/{Escape(name)}", null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        if (existing is null)
        {
            await SendAsync(HttpMethod.Post, $"api/v1/{kind}/{Escape(ns)}", new JsonObject { [field] = resource.DeepClone() }, cancellationToken).ConfigureAwait(false);
            return;
        }
        var update = resource.DeepClone().AsObject();
        update["metadata"]!["resourceVersion"] = existing["metadata"]?["resourceVersion"]?.DeepClone();
        await SendAsync(HttpMethod.Put, $"api/v1/{kind}/{Escape(ns)}/{Escape(name)}", new JsonObject { [field] = update }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, path, null, cancellationToken, allowNotFound: true).ConfigureAwait(false) is not null;

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            string? message = null;
            try
            {
                message = JsonNode.Parse(text)?["message"]?.GetValue<string>();
            }
            catch (System.Text.Json.JsonException)
            {
                message = text.Length > 300 ? text[..300] : text;
            }
            var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? " Check ARGO_TOKEN and the service account's permissions." : "";
            throw new HttpRequestException($"Argo Server {method} {_http.BaseAddress}{path} failed with {(int)response.StatusCode} {response.StatusCode}: {message}.{hint}", null, response.StatusCode);
        }
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static DateTimeOffset? Time(JsonNode? node) =>
        node?.GetValue<string>() is { Length: > 0 } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
}
