using System.Globalization;
using Sharpflow.Artifacts;
using Sharpflow.Client;
using Sharpflow.Config;
using Sharpflow.Datastore;
using Sharpflow.Events;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Runs a flow in this process and returns the finished <see cref="Client.Run"/>. The CLI, notebooks and editors all
/// run flows through this class.
/// </summary>
public class Runner : IAsyncDisposable
{
    private static readonly string Version = typeof(Runner).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    private readonly BlobCache _cache;
    private readonly RunEventHub _events = new();

    /// <summary>A runner for flows of <paramref name="flowType"/>.</summary>
    public Runner(Type flowType, RunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        MetadataJson.PrepareRunRecords();
        Graph = FlowGraphExtractor.Extract(flowType);
        Options = options ?? new RunnerOptions();
        Store = Options.BlobStore ?? DatastoreLocation.Open(Options.DatastoreRoot);
        _cache = Options.Cache ?? new BlobCache();
    }

    /// <summary>The flow's graph.</summary>
    public FlowGraph Graph { get; }

    /// <summary>The options in use.</summary>
    public RunnerOptions Options { get; }

    /// <summary>The datastore runs are written to.</summary>
    public IBlobStore Store { get; }

    /// <summary>
    /// Runs the flow with the given parameter values (by property name or command-line name; strings are parsed) and
    /// returns the run once it has finished, successfully or not. Invalid flows and parameters throw before anything runs.
    /// </summary>
    public Task<Run> RunAsync(IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        GraphValidator.EnsureValid(Graph, Options.StopAfter);
        var configs = ConfigResolver.Resolve(Graph.FlowType, Options.ConfigPaths, Options.ConfigValues);
        var effective = FlowMutation.Apply(Graph, configs, Options);
        var values = ParameterResolver.Resolve(Graph.FlowType, parameters, () => (FlowSpec)Activator.CreateInstance(Graph.FlowType)!, effective);
        return ExecuteAsync(new RunInputs(values, configs, effective), null, cancellationToken);
    }

    /// <summary>
    /// Resumes a past run: its successful tasks upstream of the resume step are cloned (their artifacts are shared, not
    /// copied) and everything from that step on runs again with the current code and the origin's parameters.
    /// </summary>
    public async Task<Run> ResumeAsync(ResumeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ResumeOptions();
        GraphValidator.EnsureValid(Graph, Options.StopAfter);
        var flow = new Flow(Graph.FlowName, new ClientOptions
        {
            BlobStore = Store,
            Namespace = options.OriginRunId is null ? UserIdentity.NamespaceOf(Options.User ?? UserIdentity.Current()) : null,
        });
        var origin = options.OriginRunId is { } id ? flow[id]
            : flow.LatestRun ?? throw new InvalidOperationException($"Flow '{Graph.FlowName}' has no run to resume in namespace '{flow.Namespace}' at {Store.Location}.");
        // Only a run whose owner is known to be alive is refused: a run recorded without an owner (written by an older
        // Sharpflow, or by a deployed run's steps) cannot be told apart from a dead one, and resuming it is what its user wants.
        if (origin.Status == RunStatus.Running && origin.Record.Owner is { } owner)
        {
            throw new InvalidOperationException(
                $"Run '{origin.Pathspec}' is still running (process {owner.ProcessId} on {owner.Host}, last seen {origin.LastSeen:u}). "
                + $"Resume it once it has finished, or stop it first (Ctrl+C where it runs, or end process {owner.ProcessId} on {owner.Host}); "
                + "to resume another run, name it with --origin-run-id.");
        }
        if (Options.ConfigPaths is { Count: > 0 } || Options.ConfigValues is { Count: > 0 })
        {
            throw new ArgumentException($"Flow '{Graph.FlowName}': resume keeps the configs of run {origin.Id} ({string.Join(", ", origin.Record.Configs.Select(c => $"{c.Key} from {c.Value.Source}"))}); start a new run to use other configs.");
        }
        var step = ResumeStepOf(origin, options.Step);
        CheckParametersMatch(origin, options.Parameters);
        // Without a named step, a loop resumes at the iteration that failed (per foreach item); a named step runs again from its first task.
        var plan = await ResumePlan.BuildAsync(Graph, new MetadataStore(Store), origin.Id, step, continueLoops: options.Step is null, cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(RunInputs.Of(origin, Graph, Options), plan, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs exactly one step with the inputs its parent tasks had in a past run (or the values given in
    /// <paramref name="options"/>) as the only task of a new run, and returns that run; the run it read is not touched.
    /// </summary>
    public Task<Run> SpinAsync(SpinOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Spinner(this).SpinAsync(options, cancellationToken);
    }

    private async Task<Run> ExecuteAsync(RunInputs inputs, ResumePlan? resume, CancellationToken cancellationToken)
    {
        EnsureRemoteStepsReachTheDatastore(inputs.Effective);
        WarnOfGpuStepsRunningHere(inputs.Effective);
        CheckStepEnvironments(inputs.Effective);
        var context = await StartRunAsync(Store, inputs, resume, Options.StopAfter is null ? "local" : "partial", null, cancellationToken).ConfigureAwait(false);
        await using var lifetime = context.Lifetime!;
        var started = DateTimeOffset.UtcNow;
        context.Publish(new RunStarted(context.FlowName, context.RunId, started, Graph.Steps.Select(s => s.Name).ToArray(), Store.Location));

        var scheduler = new LocalScheduler(context);
        RunStatus status;
        string? error;
        try
        {
            status = await scheduler.ExecuteAsync().ConfigureAwait(false);
            error = scheduler.SchedulerError ?? (scheduler.FirstFailure is { } failure ? FailureSummary(context, failure.Record) : null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The scheduler itself failed: record the run as failed (never leave it "running") and report why.
            status = RunStatus.Failed;
            error = $"The scheduler of run {context.RunId} failed: {e.GetType().Name}: {e.Message}";
        }
        await StoreFingerprintsAsync(context, scheduler).ConfigureAwait(false);
        if (status == RunStatus.Succeeded)
        {
            await StoreStepTaskListsAsync(context).ConfigureAwait(false);
        }
        var record = (await context.Metadata.ReadRunAsync(context.FlowName, context.RunId, CancellationToken.None).ConfigureAwait(false))! with
        {
            Status = status,
            FinishedAt = DateTimeOffset.UtcNow,
            Error = error,
            FailedTask = scheduler.FirstFailure is { } f ? $"{f.Record.StepName}/{f.Record.TaskId}" : null,
        };
        await lifetime.EndAsync(record).ConfigureAwait(false);
        var run = new Flow(context.FlowName, new ClientOptions { BlobStore = Store, Namespace = null })[context.RunId];
        var hooks = Options.StopAfter is null ? await ExitHookRunner.RunAsync(Graph, run, context.Publish).ConfigureAwait(false) : [];
        if (hooks.Count > 0)
        {
            await context.Metadata.WriteRunAsync(record with { Hooks = hooks }, CancellationToken.None).ConfigureAwait(false);
            run = new Flow(context.FlowName, new ClientOptions { BlobStore = Store, Namespace = null })[context.RunId];
        }
        context.Publish(new RunFinished(context.FlowName, context.RunId, DateTimeOffset.UtcNow, status, DateTimeOffset.UtcNow - started, error));
        return run;
    }

    /// <summary>
    /// Stores what later runs with reuse match. A failure to store them (a datastore that refuses the write) must not
    /// leave the run recorded as running: it is said on stderr, and this run's tasks are simply not offered for reuse.
    /// </summary>
    private static async Task StoreFingerprintsAsync(RunContext context, LocalScheduler scheduler)
    {
        try
        {
            await context.Metadata.WriteFingerprintsAsync(context.FlowName, context.RunId, scheduler.Fingerprints, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Http.HttpRequestException)
        {
            Console.Error.WriteLine($"warning: Flow '{context.FlowName}', run {context.RunId}: the fingerprints of its tasks could not be stored ({e.GetType().Name}: {e.Message}); "
                + "its tasks will not be offered for reuse to later runs.");
        }
    }

    /// <summary>
    /// Stores the task lists of the run's wide steps (one read per thousand tasks for a reader, instead of one per task).
    /// They only speed reading up: a failure to store them is said on stderr and readers read the records one by one.
    /// </summary>
    private async Task StoreStepTaskListsAsync(RunContext context)
    {
        try
        {
            await context.Metadata.WriteStepTaskListsAsync(context.FlowName, context.RunId, Graph.Steps.Select(s => s.Name), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Http.HttpRequestException)
        {
            Console.Error.WriteLine($"warning: Flow '{context.FlowName}', run {context.RunId}: the task lists of its wide steps could not be stored ({e.GetType().Name}: {e.Message}); "
                + "readers will read its tasks' records one by one.");
        }
    }

    /// <summary>
    /// A step sent to a backend that cannot reach this machine's folders (an SSH host, another user) could not read a
    /// local datastore: refuse before anything runs, saying what to use, rather than fail there with "access denied".
    /// </summary>
    private void EnsureRemoteStepsReachTheDatastore(EffectiveFlow effective)
    {
        if (Datastore.DatastoreLocation.SchemeOf(Store.Location) is not null)
        {
            return;
        }
        foreach (var step in Graph.Steps)
        {
            if (Compute.ComputeChoice.For(StepPolicy.For(effective.DecoratorsOf(step.Name)), Options) is { Backend.ReachesLocalDatastore: false } choice)
            {
                throw new InvalidOperationException(
                    $"Flow '{Graph.FlowName}': step '{step.Name}' runs on {choice.Backend.Name}, another machine that cannot read this datastore ({Store.Location}). "
                    + "Use a datastore both machines reach: --datastore s3://bucket/prefix (or SHARPFLOW_DATASTORE_ROOT=s3://...).");
            }
        }
    }

    /// <summary>A step's [Environment] (its own or from --with) that is not NAME=value is refused before anything runs.</summary>
    private void CheckStepEnvironments(EffectiveFlow effective)
    {
        foreach (var step in Graph.Steps)
        {
            _ = StepPolicy.For(effective.DecoratorsOf(step.Name)).Environment?.ToDictionary(Graph.FlowName, step.Name);
        }
    }

    /// <summary>
    /// A step that asks for GPUs but has no compute backend runs here, where nothing hands it a GPU: said when the run
    /// starts (on stderr, like the client's warnings), not only by the editor's SF0108.
    /// </summary>
    private void WarnOfGpuStepsRunningHere(EffectiveFlow effective)
    {
        foreach (var step in Graph.Steps)
        {
            var policy = StepPolicy.For(effective.DecoratorsOf(step.Name));
            if (policy.Resources is { Gpu: > 0 } resources && Compute.ComputeChoice.For(policy, Options) is null)
            {
                Console.Error.WriteLine($"warning: Flow '{Graph.FlowName}', step '{step.Name}' asks for {resources.Gpu} GPU(s) but has no compute backend, so it runs here "
                    + "without GPUs given to it. Add [Slurm], [Kubernetes] or [Ssh] to the step, or run with --with slurm (or another backend).");
            }
        }
    }

    private StepNode ResumeStepOf(Run origin, string? requested)
    {
        if (requested is not null)
        {
            return Graph.Resolve(requested) ?? throw new ArgumentException(
                $"Flow '{Graph.FlowName}' has no step '{requested}' to resume from. Its steps are: {string.Join(", ", Graph.Steps.Select(s => s.Name))}.");
        }
        if (origin.Record.FailedTask is { } failed)
        {
            return Graph[failed.Split('/')[0]];
        }
        // A run that died (killed, machine lost) recorded no failure: resume from the first step, in graph order, that did not finish.
        var finished = origin.Steps.ToDictionary(s => s.Name, s => Finished(s.Tasks));
        var order = GraphValidator.Reachable(Graph, Graph.StartStep!);
        if (Graph.Steps.Where(s => order.Contains(s.Name)).FirstOrDefault(s => !finished.GetValueOrDefault(s.Name)) is { } unfinished)
        {
            return unfinished;
        }
        // Every step finished but the run was never recorded as finished (its process died right after End): End runs
        // again, everything before it is reused, and the new run records the result.
        return origin.Successful
            ? throw new InvalidOperationException($"Run '{origin.Pathspec}' finished every step; there is nothing to resume. Name a step to run again from it (resume STEP).")
            : Graph.Find(FlowGraphNames.End) ?? Graph.Steps[^1];
    }

    /// <summary>
    /// Whether a step of a run that died finished: every task it recorded succeeded, and each foreach it runs in has a task
    /// for every item. A task cut short early leaves no record at all (a task's running record is written only when it
    /// runs past the run's next tick), nor does one the scheduler had not started yet.
    /// </summary>
    private static bool Finished(IReadOnlyList<FlowTask> tasks) =>
        tasks.Count > 0 && tasks.All(t => t.Successful)
        && tasks.Select(t => t.Record.Splits.LastOrDefault(f => f.Kind == TransitionKind.Foreach)).OfType<SplitFrame>()
            .GroupBy(f => (f.SplitStep, f.SplitTaskId))
            .All(items => items.Select(f => f.Index).Distinct().Count() == items.First().Count);

    private void CheckParametersMatch(Run origin, IReadOnlyDictionary<string, object?>? given)
    {
        if (given is null || given.Count == 0)
        {
            return;
        }
        var resolved = ParameterResolver.Resolve(Graph.FlowType, given, () => (FlowSpec)Activator.CreateInstance(Graph.FlowType)!);
        foreach (var parameter in FlowParameter.Of(Graph.FlowType).Where(p => given.ContainsKey(p.PropertyName) || given.ContainsKey(p.Name)))
        {
            if (origin.Parameters.GetValueOrDefault(parameter.PropertyName) != resolved[parameter.PropertyName])
            {
                throw new ArgumentException(
                    $"Flow '{Graph.FlowName}': resume keeps the parameters of run {origin.Id}, where --{parameter.Name} is {origin.Parameters.GetValueOrDefault(parameter.PropertyName) ?? "unset"}, "
                    + $"not {resolved[parameter.PropertyName]}. Start a new run to change parameters.");
            }
        }
    }

    /// <summary>
    /// Subscribes to the events of every run this runner starts from now on (subscribe before starting a run to see it
    /// all); the stream ends when the runner is disposed or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public IAsyncEnumerable<RunEvent> SubscribeEvents(CancellationToken cancellationToken = default) => _events.Subscribe(cancellationToken);

    /// <summary>Ends every event subscription.</summary>
    public ValueTask DisposeAsync()
    {
        _events.Close();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private void Publish(RunEvent runEvent)
    {
        Options.OnEvent?.Invoke(runEvent);
        _events.Publish(runEvent);
    }

    /// <summary>Creates the run's record (reserving a fresh id) in <paramref name="store"/> and the context its tasks share.</summary>
    internal async Task<RunContext> StartRunAsync(
        IBlobStore store, RunInputs inputs, ResumePlan? resume, string runtime, string? originRunId, CancellationToken cancellationToken)
    {
        var flowType = Graph.FlowType;
        var user = Options.User ?? UserIdentity.Current();
        var metadata = new MetadataStore(store);
        var blobs = new ContentAddressedStore(store, Graph.FlowName, _cache);
        inputs = inputs with
        {
            Parameters = await IncludedFiles.StoreAsync(Graph.FlowName, inputs.Effective.ParametersOf(flowType), inputs.Parameters, blobs, cancellationToken).ConfigureAwait(false),
        };
        var record = new RunRecord
        {
            FlowName = Graph.FlowName,
            RunId = "",
            User = user,
            SystemTags = [.. SystemTags(Graph, UserIdentity.NamespaceOf(user), runtime), .. Options.Namespace is { } ns ? [RunTags.Validate(ns)] : Array.Empty<string>(),
                .. ProjectBranch.For(flowType, Options.Branch, Options.Production, user)?.Tags ?? []],
            Tags = Options.Tags.Select(RunTags.Validate).ToArray(),
            Parameters = inputs.Parameters,
            Configs = inputs.Configs,
            StepDecorators = Options.StepDecorators,
            Status = RunStatus.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            Host = Environment.MachineName,
            Owner = RunOwner.Current,
            OriginRunId = resume?.OriginRunId ?? originRunId,
            ResumeStep = resume?.ResumeStep,
        };
        var id = record.CreatedAt.ToUnixTimeMilliseconds();
        while (!await metadata.TryCreateRunAsync(record = record with { RunId = id.ToString(CultureInfo.InvariantCulture) }, cancellationToken).ConfigureAwait(false))
        {
            id++;
        }
        var codec = new ArtifactCodec(SerializerRegistry.ForFlow(flowType));
        var context = new RunContext
        {
            Graph = Graph,
            RunId = record.RunId,
            User = user,
            Namespace = Options.Namespace ?? UserIdentity.NamespaceOf(user),
            Tags = [.. record.SystemTags, .. record.Tags],
            Parameters = inputs.Parameters,
            Configs = inputs.Configs,
            Effective = inputs.Effective,
            Metadata = metadata,
            Artifacts = new ArtifactStore(blobs, codec, Graph.FlowName),
            Options = Options,
            Cancellation = cancellationToken,
            Resume = resume,
            EventSink = Publish,
        };
        context.Lifetime = RunLifetime.Start(context, record);
        return context;
    }

    /// <summary>The tags Sharpflow sets on every run: its namespace, where it ran, and the versions of Sharpflow and of the flow's graph.</summary>
    internal static string[] SystemTags(FlowGraph graph, string @namespace, string runtime) =>
        [@namespace, $"runtime:{runtime}", $"sharpflow_version:{Version}", $"flow_version:{FlowVersion.Of(graph)}"];

    /// <summary>One paragraph on why a run failed: the task, its foreach index, the exception, and where its output and record are.</summary>
    internal static string FailureSummary(RunContext context, TaskRecord failed)
    {
        var where = failed.Splits.Any(s => s.Kind == TransitionKind.Foreach)
            ? $" (foreach index {string.Join('.', failed.Splits.Where(s => s.Kind == TransitionKind.Foreach).Select(s => s.Index))})" : "";
        var exception = failed.Exception is { } e ? $"{e.Type}: {e.Message.TrimEnd('.')}" : "unknown error";
        return $"Step '{failed.StepName}' task {failed.TaskId}{where} failed with {exception}. "
            + $"Its output: `logs {context.RunId}/{failed.StepName}/{failed.TaskId}`; its record: {context.Metadata.Store.Location}/{DatastoreLayout.TaskRecord(context.FlowName, context.RunId, failed.StepName, failed.TaskId)}.";
    }
}

/// <summary>A <see cref="Runner"/> for flows of type <typeparamref name="TFlow"/>.</summary>
public sealed class Runner<TFlow>(RunnerOptions? options = null) : Runner(typeof(TFlow), options) where TFlow : FlowSpec;
