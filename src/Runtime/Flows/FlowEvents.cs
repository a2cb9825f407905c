using System.Text.Json.Nodes;

namespace Sharpflow;

/// <summary>
/// Events deployed flows raise and wait for (Argo Events): their names, and publishing one to the webhook event source
/// named by <c>SHARPFLOW_ARGO_EVENTS_WEBHOOK_URL</c>. An event is JSON <c>{"name": ..., "payload": {...}}</c>.
/// </summary>
public static class FlowEvents
{
    /// <summary>The variable naming the webhook event source's URL (e.g. <c>http://sharpflow-events-eventsource-svc.argo:12000/sharpflow</c>).</summary>
    public const string WebhookVariable = "SHARPFLOW_ARGO_EVENTS_WEBHOOK_URL";

    /// <summary>
    /// The event a successful deployed run of <paramref name="flow"/> raises: <c>sharpflow.Flow.finished</c>, or
    /// <c>sharpflow.project.branch.Flow.finished</c> for a flow in a project.
    /// </summary>
    public static string Finished(string flow, ProjectBranch? project) =>
        project is null ? $"sharpflow.{flow}.finished" : $"sharpflow.{project.Project}.{project.Branch}.{flow}.finished";

    /// <summary>The JSON body of an event.</summary>
    public static JsonObject Body(string name, IReadOnlyDictionary<string, string> payload) =>
        new() { ["name"] = name, ["payload"] = new JsonObject(payload.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) };

    /// <summary>Posts an event to <paramref name="webhook"/>; a refusal is an error naming the event and the status.</summary>
    public static async Task PublishAsync(Uri webhook, string name, IReadOnlyDictionary<string, string> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var content = new StringContent(Body(name, payload).ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(webhook, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Publishing event '{name}' to {webhook.GetLeftPart(UriPartial.Path)} failed: {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
    }
}
