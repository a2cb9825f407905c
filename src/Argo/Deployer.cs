using System.Text.Json.Nodes;
using Sharpflow.Config;
using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Graph;
using Sharpflow.Metadata;
using Sharpflow.Packaging;

namespace Sharpflow.Argo;

/// <summary>How and where a flow is deployed to Argo Workflows.</summary>
public sealed record DeployerOptions
{
    /// <summary>The deployed name for a flow without a project (default: the flow's name, lower case).</summary>
    public string? Name { get; init; }

    /// <summary>A project branch to deploy (<c>test.&lt;branch&gt;</c>); default <c>user.&lt;you&gt;</c>.</summary>
    public string? Branch { get; init; }

    /// <summary>Deploy the project's production branch.</summary>
    public bool Production { get; init; }

    /// <summary>The Kubernetes namespace (default: <c>SHARPFLOW_K8S_NAMESPACE</c>, else <c>default</c>).</summary>
    public string? KubernetesNamespace { get; init; }

    /// <summary>The image with .NET and the Sharpflow worker (default: <c>SHARPFLOW_K8S_IMAGE</c>).</summary>
    public string? Image { get; init; }

    /// <summary>The datastore the pods use: an <c>s3://</c> root (default: <c>SHARPFLOW_DATASTORE_ROOT</c>).</summary>
    public string? DatastoreRoot { get; init; }

    /// <summary>The Secret holding the datastore's credentials (default: <c>SHARPFLOW_K8S_SECRET</c>).</summary>
    public string? Secret { get; init; }

    /// <summary>The service account of the workflow's pods.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>Config files by config name, resolved now and baked into the template.</summary>
    public IReadOnlyDictionary<string, string>? ConfigPaths { get; init; }

    /// <summary>Inline JSON configs by config name, resolved now and baked into the template.</summary>
    public IReadOnlyDictionary<string, string>? ConfigValues { get; init; }

    /// <summary>The Argo Events event source a [Trigger] flow's Sensor listens to; default <c>SHARPFLOW_ARGO_EVENTS_EVENT_SOURCE</c>, else <c>sharpflow-events</c>.</summary>
    public string? EventSource { get; init; }

    /// <summary>The event (webhook endpoint) of that source; default <c>SHARPFLOW_ARGO_EVENTS_EVENT</c>, else <c>sharpflow</c>.</summary>
    public string? EventName { get; init; }

    /// <summary>Where a successful run posts its finished event (for [TriggerOnFinish] flows); default <c>SHARPFLOW_ARGO_EVENTS_WEBHOOK_URL</c>.</summary>
    public string? EventsWebhook { get; init; }

    /// <summary>Who deploys (default: the current user).</summary>
    public string? User { get; init; }

    /// <summary>The command line that started this flow's program (the CLI sets it), so a program serving several flows gets its leading arguments in the pods too.</summary>
    internal IReadOnlyList<string>? TaskCommand { get; init; }

    /// <summary>The Argo Server (default: from <c>ARGO_SERVER</c>/<c>ARGO_TOKEN</c> when first needed).</summary>
    public ArgoServerClient? Server { get; init; }
}

/// <summary>What a deployment consists of: the compiled resources and the code package they run.</summary>
/// <param name="Deployment">The deployment's fixed settings.</param>
/// <param name="WorkflowTemplate">The Argo WorkflowTemplate.</param>
/// <param name="CronWorkflow">The CronWorkflow for a scheduled flow, or null.</param>
public sealed record CompiledDeployment(ArgoDeployment Deployment, JsonObject WorkflowTemplate, JsonObject? CronWorkflow)
{
    /// <summary>What the deployer should know before applying it: settings baked in that the cluster cannot use, placeholders of a preview.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The Argo Events Sensor that starts runs on the flow's events ([Trigger], [TriggerOnFinish]), or null.</summary>
    public JsonObject? Sensor { get; init; }

    /// <summary>The resources as YAML.</summary>
    public string ToYaml() => ArgoYaml.Write(new[] { WorkflowTemplate, CronWorkflow, Sensor }.OfType<JsonObject>().ToArray());
}

/// <summary>
/// Deploys a flow to Argo Workflows and drives the deployment: <see cref="CompileAsync"/> (store the code package, build
/// the templates), <see cref="CreateAsync"/>, <see cref="TriggerAsync"/>, <see cref="ListRunsAsync"/>, <see cref="DeleteAsync"/>.
/// Runs it starts are ordinary runs in the datastore (run id <c>argo-&lt;workflow&gt;</c>, namespace
/// <c>production:&lt;name&gt;</c>): read them with the Client API, resume them locally, spin their steps.
/// </summary>
public class Deployer : IDisposable
{
    private readonly DeployerOptions _options;
    private ArgoServerClient? _server;

    /// <summary>A deployer of <paramref name="flowType"/>.</summary>
    public Deployer(Type flowType, DeployerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        _options = options ?? new DeployerOptions();
        _server = _options.Server;
        Graph = FlowGraphExtractor.Extract(flowType);
        User = _options.User ?? UserIdentity.Current();
        Name = DeploymentName.For(flowType, _options.Name, _options.Branch, _options.Production, User);
        KubernetesNamespace = _options.KubernetesNamespace ?? Env("SHARPFLOW_K8S_NAMESPACE") ?? "default";
    }

    /// <summary>The flow's graph.</summary>
    public FlowGraph Graph { get; }

    /// <summary>The deployed name (project and branch included).</summary>
    public DeploymentName Name { get; }

    /// <summary>The Kubernetes namespace.</summary>
    public string KubernetesNamespace { get; }

    /// <summary>Who deploys.</summary>
    public string User { get; }

    /// <summary>
    /// Stores the flow's code package in the datastore, resolves the configs now, and compiles the Argo resources
    /// (nothing is sent to Argo).
    /// </summary>
    public Task<CompiledDeployment> CompileAsync(CancellationToken cancellationToken = default) => CompileCoreAsync(preview: false, cancellationToken);

    /// <summary>
    /// Compiles the Argo resources to look at, storing nothing and needing no datastore or image: missing ones are
    /// placeholders (said in <see cref="CompiledDeployment.Warnings"/>). Deploy with <see cref="CompileAsync(CancellationToken)"/>.
    /// </summary>
    public Task<CompiledDeployment> PreviewAsync(CancellationToken cancellationToken = default) => CompileCoreAsync(preview: true, cancellationToken);

    private async Task<CompiledDeployment> CompileCoreAsync(bool preview, CancellationToken cancellationToken)
    {
        GraphValidator.EnsureValid(Graph);
        var warnings = new List<string>();
        var root = _options.DatastoreRoot ?? Env("SHARPFLOW_DATASTORE_ROOT")
            ?? (preview ? Placeholder(warnings, "s3://DATASTORE", "the datastore (--datastore s3://bucket/prefix)")
                : throw new InvalidOperationException($"Flow '{Graph.FlowName}': Argo's pods need a datastore they can reach; give --datastore s3://bucket/prefix (or set SHARPFLOW_DATASTORE_ROOT)."));
        if (!root.StartsWith("s3://", StringComparison.Ordinal))
        {
            root = preview ? Placeholder(warnings, "s3://DATASTORE", $"the datastore '{root}' (a local folder, which Argo's pods cannot see)")
                : throw new InvalidOperationException($"Flow '{Graph.FlowName}': the datastore '{root}' is a local folder, which Argo's pods cannot see; deploy with an s3:// datastore.");
        }
        var image = _options.Image ?? Env("SHARPFLOW_K8S_IMAGE")
            ?? (preview ? Placeholder(warnings, "IMAGE", "the container image (--image)")
                : throw new InvalidOperationException($"Flow '{Graph.FlowName}': name the container image with --image (or SHARPFLOW_K8S_IMAGE); it needs .NET and the Sharpflow worker at {Kubernetes.KubernetesTarget.WorkerPath}."));
        warnings.AddRange(LoopbackSettings());
        var configs = ConfigResolver.Resolve(Graph.FlowType, _options.ConfigPaths, _options.ConfigValues);
        var package = CodePackage.Build(Graph.FlowType);
        IReadOnlyDictionary<string, string> includedFiles = new Dictionary<string, string>();
        if (!preview)
        {
            var store = DatastoreLocation.Open(root);
            await package.StoreAsync(store, cancellationToken).ConfigureAwait(false);
            includedFiles = await IncludedFilesAsync(store, configs, cancellationToken).ConfigureAwait(false);
        }
        var deployment = new ArgoDeployment(Name.Name, KubernetesNamespace, image, root, package.Manifest, Compute.WorkerPackage.Leading(_options.TaskCommand, package.Manifest), configs, User)
        {
            Secret = _options.Secret ?? Env("SHARPFLOW_K8S_SECRET"),
            ServiceAccount = _options.ServiceAccount,
            Project = Name.Project,
            Branch = Name.Branch,
            IncludedFiles = includedFiles,
            EventSource = _options.EventSource ?? Env("SHARPFLOW_ARGO_EVENTS_EVENT_SOURCE") ?? "sharpflow-events",
            EventName = _options.EventName ?? Env("SHARPFLOW_ARGO_EVENTS_EVENT") ?? "sharpflow",
            EventsWebhook = _options.EventsWebhook ?? Env(FlowEvents.WebhookVariable),
        };
        var compiler = new ArgoWorkflowCompiler(Graph, deployment);
        return new CompiledDeployment(deployment, compiler.WorkflowTemplate(), compiler.CronWorkflow()) { Warnings = warnings, Sensor = compiler.Sensor() };
    }

    /// <summary>The default files of the flow's [IncludeFile] parameters, read here and stored in the datastore Argo's pods read.</summary>
    private async Task<IReadOnlyDictionary<string, string>> IncludedFilesAsync(IBlobStore store, IReadOnlyDictionary<string, ConfigRecord> configs, CancellationToken cancellationToken)
    {
        var files = FlowMutation.Apply(Graph, configs, new RunnerOptions()).ParametersOf(Graph.FlowType).Where(p => p.IncludesFile && p.DefaultPath is not null).ToArray();
        var paths = files.ToDictionary(p => p.PropertyName, p => p.ToJson(new IncludedFileRecord(p.DefaultPath!)), StringComparer.Ordinal);
        return await IncludedFiles.StoreAsync(Graph.FlowName, files, paths, new ContentAddressedStore(store, Graph.FlowName), cancellationToken).ConfigureAwait(false);
    }

    private static string Placeholder(List<string> warnings, string placeholder, string what)
    {
        warnings.Add($"This is a preview: {what} is shown as {placeholder}. Nothing was stored; `create` without --preview stores the code package and deploys.");
        return placeholder;
    }

    /// <summary>Datastore settings from this shell that go into the template but name this machine (a test S3 server on loopback).</summary>
    private static IEnumerable<string> LoopbackSettings() =>
        Kubernetes.KubernetesJobManifest.PlainSettingsFromEnvironment()
            .Where(s => Uri.TryCreate(s.Value, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host is "0.0.0.0"))
            .Select(s => $"{s.Name}={s.Value} from this shell goes into the template, but it is this machine's loopback address: Argo's pods cannot reach it. "
                + $"Set {s.Name} to an address the cluster reaches (or unset it for AWS S3) and create the template again.");

    /// <summary>Compiles the flow and creates (or replaces) its template, and its cron workflow when it has a schedule, on the Argo Server.</summary>
    public async Task<CompiledDeployment> CreateAsync(CancellationToken cancellationToken = default)
    {
        var compiled = await CompileAsync(cancellationToken).ConfigureAwait(false);
        await Server.CreateOrUpdateTemplateAsync(compiled.WorkflowTemplate, cancellationToken).ConfigureAwait(false);
        // Sensors are Argo Events resources, which the Argo Server does not manage: they go through the Kubernetes API.
        if (compiled.Sensor is { } sensor)
        {
            await ArgoEventsSensors.CreateOrReplaceAsync(sensor, cancellationToken).ConfigureAwait(false);
        }

        if (compiled.CronWorkflow is { } cron)
        {
            await Server.CreateOrUpdateCronWorkflowAsync(cron, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Server.DeleteCronWorkflowAsync(KubernetesNamespace, Name.Name, cancellationToken).ConfigureAwait(false); // a schedule removed since the last deploy
        }
        return compiled;
    }

    /// <summary>Starts a run of the deployed flow; returns its Sharpflow run id (<c>argo-&lt;workflow&gt;</c>).</summary>
    public async Task<string> TriggerAsync(IReadOnlyDictionary<string, string>? parameters = null, CancellationToken cancellationToken = default)
    {
        var known = FlowParameter.Of(Graph.FlowType).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in (parameters?.Keys ?? []).Where(k => !known.Contains(k)))
        {
            throw new ArgumentException($"Flow '{Graph.FlowName}' has no parameter --{unknown}. Its parameters are: {(known.Count == 0 ? "(none)" : string.Join(", ", known.Select(k => "--" + k)))}.");
        }
        var workflow = await Server.SubmitAsync(KubernetesNamespace, Name.Name, parameters ?? new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        return "argo-" + workflow;
    }

    /// <summary>The runs Argo started from this deployment, newest first.</summary>
    public Task<IReadOnlyList<ArgoWorkflowRun>> ListRunsAsync(CancellationToken cancellationToken = default) =>
        Server.ListWorkflowsAsync(KubernetesNamespace, Name.Name, cancellationToken);

    /// <summary>
    /// Where a run Argo started from this deployment stands in Argo (phase, progress, suspended, message); the run is
    /// named by its Sharpflow id (<c>argo-&lt;workflow&gt;</c>) or its workflow's name. A run of another deployment, or
    /// none, is refused naming what there is.
    /// </summary>
    public async Task<ArgoWorkflowRun> StatusAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var workflow = runId.StartsWith("argo-", StringComparison.Ordinal) ? runId["argo-".Length..] : runId;
        var run = await Server.GetWorkflowAsync(KubernetesNamespace, workflow, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Argo has no workflow '{workflow}' in namespace '{KubernetesNamespace}' (run '{runId}'). `argo-workflows list-runs` lists this deployment's runs.");
        return run.Template is { } template && template != Name.Name
            ? throw new InvalidOperationException($"Workflow '{workflow}' was started from '{template}', not from this flow's deployment '{Name.Name}'; nothing was changed.")
            : run;
    }

    /// <summary>
    /// Stops, suspends or resumes a run of this deployment (see <see cref="StatusAsync"/> for how it is named); a run
    /// that has finished is refused. Returns the run as Argo has it afterwards.
    /// </summary>
    public async Task<ArgoWorkflowRun> ActAsync(string runId, ArgoWorkflowAction action, CancellationToken cancellationToken = default)
    {
        var run = await StatusAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run.Phase is not ("Running" or "Pending"))
        {
            throw new InvalidOperationException($"Run '{run.RunId}' has finished ({run.Phase}); there is nothing to {action.ToString().ToLowerInvariant()}.");
        }
        if (action == ArgoWorkflowAction.Resume && !run.Suspended)
        {
            throw new InvalidOperationException($"Run '{run.RunId}' is not suspended; there is nothing to resume.");
        }
        await Server.ActAsync(KubernetesNamespace, run.Name, action, cancellationToken).ConfigureAwait(false);
        return await StatusAsync(run.Name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the deployment (its cron workflow and template); runs already stored stay in the datastore. False when nothing was deployed.</summary>
    public async Task<bool> DeleteAsync(CancellationToken cancellationToken = default)
    {
        var cron = await Server.DeleteCronWorkflowAsync(KubernetesNamespace, Name.Name, cancellationToken).ConfigureAwait(false);
        var template = await Server.DeleteTemplateAsync(KubernetesNamespace, Name.Name, cancellationToken).ConfigureAwait(false);
        var sensor = Graph.FlowType.IsDefined(typeof(TriggerAttribute), true) || Graph.FlowType.IsDefined(typeof(TriggerOnFinishAttribute), true)
            ? await ArgoEventsSensors.DeleteAsync(KubernetesNamespace, Name.Name, cancellationToken).ConfigureAwait(false)
            : false;
        return cron || template || sensor;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_options.Server is null)
        {
            _server?.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    private ArgoServerClient Server => _server ??= ArgoServerClient.FromEnvironment();

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

/// <summary>A <see cref="Deployer"/> of flows of type <typeparamref name="TFlow"/>.</summary>
public sealed class Deployer<TFlow>(DeployerOptions? options = null) : Deployer(typeof(TFlow), options) where TFlow : FlowSpec;
