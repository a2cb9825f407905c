using Sharpflow.Metadata;
using Sharpflow.Packaging;

namespace Sharpflow.Argo;

/// <summary>
/// Everything fixed when a flow is deployed to Argo Workflows: the deployed name and Kubernetes namespace, the image,
/// the datastore the pods use, the code package they run, the configs resolved now (baked into the template), and
/// who deployed it.
/// </summary>
/// <param name="Name">The WorkflowTemplate's name (project and branch included, see <see cref="DeploymentName"/>).</param>
/// <param name="Namespace">The Kubernetes namespace.</param>
/// <param name="Image">The container image: .NET and the Sharpflow worker at <c>/sharpflow/Sharpflow.Worker.dll</c>.</param>
/// <param name="DatastoreRoot">The datastore the pods read and write (an <c>s3://</c> root).</param>
/// <param name="Package">The flow's code package, stored in that datastore.</param>
/// <param name="LeadingArguments">Arguments a program serving several flows needs before the command (e.g. the flow's name).</param>
/// <param name="Configs">The flow's configs, resolved at deploy time.</param>
/// <param name="User">Who deployed it.</param>
public sealed record ArgoDeployment(
    string Name,
    string Namespace,
    string Image,
    string DatastoreRoot,
    CodePackageManifest Package,
    IReadOnlyList<string> LeadingArguments,
    IReadOnlyDictionary<string, ConfigRecord> Configs,
    string User)
{
    /// <summary>A Kubernetes Secret whose keys become every pod's environment (datastore credentials); never inlined.</summary>
    public string? Secret { get; init; }

    /// <summary>The service account the workflow's pods run as.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>The project the flow belongs to (from <see cref="ProjectAttribute"/>), or null.</summary>
    public string? Project { get; init; }

    /// <summary>The branch of the project this deployment is (<c>prod</c>, <c>user.alice</c>, <c>test.x</c>), or null without a project.</summary>
    public string? Branch { get; init; }

    /// <summary>
    /// The default files of the flow's [IncludeFile] parameters, stored in the datastore when deploying: the stored
    /// record's JSON by property name. A file parameter without one defaults to its path.
    /// </summary>
    public IReadOnlyDictionary<string, string> IncludedFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>The Argo Events event source the Sensor of a flow with [Trigger]/[TriggerOnFinish] listens to (a webhook event source).</summary>
    public string EventSource { get; init; } = "sharpflow-events";

    /// <summary>The event (the webhook endpoint's name in that event source) whose messages carry Sharpflow events.</summary>
    public string EventName { get; init; } = "sharpflow";

    /// <summary>The webhook URL a successful run's exit handler posts its finished event to (for [TriggerOnFinish] flows), or null for none.</summary>
    public string? EventsWebhook { get; init; }

    /// <summary>The Client API namespace of the runs it starts: <c>production:&lt;name&gt;</c>.</summary>
    public string RunNamespace => "production:" + Name;
}
