using System.Globalization;
using Sharpflow.Artifacts;
using Sharpflow.Client;
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

    /// <summary>A runner for flows of <paramref name="flowType"/>.</summary>
    public Runner(Type flowType, RunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        Graph = FlowGraphExtractor.Extract(flowType);
        Options = options ?? new RunnerOptions();
        Store = Options.BlobStore ?? DatastoreLocation.OpenLocal(Options.DatastoreRoot);
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
    public async Task<Run> RunAsync(IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        GraphValidator.EnsureValid(Graph);
        var context = await StartRunAsync(parameters, cancellationToken).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        context.Publish(new RunStarted(context.FlowName, context.RunId, started, Graph.Steps.Select(s => s.Name).ToArray(), Store.Location));

        var scheduler = new LocalScheduler(context);
        var status = await scheduler.ExecuteAsync().ConfigureAwait(false);
        var error = scheduler.SchedulerError ?? (scheduler.FirstFailure is { } failure ? FailureSummary(context, failure.Record) : null);
        var record = (await context.Metadata.ReadRunAsync(context.FlowName, context.RunId, CancellationToken.None).ConfigureAwait(false))! with
        {
            Status = status,
            FinishedAt = DateTimeOffset.UtcNow,
            Error = error,
            FailedTask = scheduler.FirstFailure is { } f ? $"{f.Record.StepName}/{f.Record.TaskId}" : null,
        };
        await context.Metadata.WriteRunAsync(record, CancellationToken.None).ConfigureAwait(false);
        context.Publish(new RunFinished(context.FlowName, context.RunId, DateTimeOffset.UtcNow, status, DateTimeOffset.UtcNow - started, error));
        return new Flow(context.FlowName, new ClientOptions { BlobStore = Store, Namespace = null })[context.RunId];
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private async Task<RunContext> StartRunAsync(IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        var flowType = Graph.FlowType;
        var values = ParameterResolver.Resolve(flowType, parameters, () => (FlowSpec)Activator.CreateInstance(flowType)!);
        var user = Options.User ?? UserIdentity.Current();
        var metadata = new MetadataStore(Store);
        var record = new RunRecord
        {
            FlowName = Graph.FlowName,
            RunId = "",
            User = user,
            SystemTags = [UserIdentity.NamespaceOf(user), "runtime:local", $"sharpflow_version:{Version}"],
            Tags = Options.Tags,
            Parameters = values,
            Status = RunStatus.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            Host = Environment.MachineName,
        };
        var id = record.CreatedAt.ToUnixTimeMilliseconds();
        while (!await metadata.TryCreateRunAsync(record = record with { RunId = id.ToString(CultureInfo.InvariantCulture) }, cancellationToken).ConfigureAwait(false))
        {
            id++;
        }
        var codec = new ArtifactCodec(SerializerRegistry.ForFlow(flowType));
        return new RunContext
        {
            Graph = Graph,
            RunId = record.RunId,
            User = user,
            Namespace = UserIdentity.NamespaceOf(user),
            Tags = [.. record.SystemTags, .. record.Tags],
            Parameters = values,
            Metadata = metadata,
            Artifacts = new ArtifactStore(new ContentAddressedStore(Store, Graph.FlowName, _cache), codec, Graph.FlowName),
            Options = Options,
            Cancellation = cancellationToken,
        };
    }

    private string FailureSummary(RunContext context, TaskRecord failed)
    {
        var where = failed.Splits.Any(s => s.Kind == TransitionKind.Foreach)
            ? $" (foreach index {string.Join('.', failed.Splits.Where(s => s.Kind == TransitionKind.Foreach).Select(s => s.Index))})" : "";
        var exception = failed.Exception is { } e ? $"{e.Type}: {e.Message.TrimEnd('.')}" : "unknown error";
        return $"Step '{failed.StepName}' task {failed.TaskId}{where} failed with {exception}. "
            + $"Its output: `logs {context.RunId}/{failed.StepName}/{failed.TaskId}`; its record: {Store.Location}/{DatastoreLayout.TaskRecord(context.FlowName, context.RunId, failed.StepName, failed.TaskId)}.";
    }
}

/// <summary>A <see cref="Runner"/> for flows of type <typeparamref name="TFlow"/>.</summary>
public sealed class Runner<TFlow>(RunnerOptions? options = null) : Runner(typeof(TFlow), options) where TFlow : FlowSpec;
