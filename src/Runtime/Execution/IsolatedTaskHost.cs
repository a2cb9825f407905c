using System.Text.Json;
using Sharpflow.Artifacts;
using Sharpflow.Datastore;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>The child side of process isolation: runs one attempt described by an <see cref="IsolatedTaskSpec"/>, writing events as JSON lines.</summary>
internal static class IsolatedTaskHost
{
    public static async Task<int> RunAsync(Type flowType, string specPath, string? datastoreRoot, TextWriter events, CancellationToken cancellationToken)
    {
        var spec = MetadataJson.Deserialize<IsolatedTaskSpec>(await File.ReadAllBytesAsync(specPath, cancellationToken).ConfigureAwait(false), specPath);
        var graph = FlowGraphExtractor.Extract(flowType);
        var store = DatastoreLocation.Open(datastoreRoot);
        var metadata = new MetadataStore(store);
        var runRecord = await metadata.ReadRunAsync(graph.FlowName, spec.RunId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run '{graph.FlowName}/{spec.RunId}' is not in the datastore at {store.Location}.");
        var context = ContextFor(flowType, graph, store, runRecord, spec.User, spec.Namespace,
            new RunnerOptions { DatastoreRoot = datastoreRoot, MaxNumSplits = spec.MaxNumSplits, Namespace = spec.Namespace }, events, cancellationToken);
        var tasks = await ReadTasksAsync(context, spec.Parents, cancellationToken).ConfigureAwait(false);
        var parents = tasks.Select(t => new TaskOutcome(new TaskSpec(graph[t.Record.StepName], t.Record.TaskId, [], t.Record.Splits, []), t.Record, t.Artifacts)).ToList();
        var taskSpec = new TaskSpec(graph[spec.Step], spec.TaskId, parents, spec.Splits, spec.SplitItems.Select(i => i is null ? null : ForeachItem.Of(i.ToEncoded())).ToArray())
        {
            Iteration = spec.Iteration,
        };
        var outcome = await new TaskRunner(context).RunAttemptAsync(taskSpec, spec.Attempt, StepPolicy.For(context.Effective.DecoratorsOf(taskSpec.Step.Name)), spec.LastAttempt).ConfigureAwait(false);
        return outcome.Succeeded ? 0 : 1;
    }

    /// <summary>The context of a task of an existing run, in a process of its own; events go to <paramref name="events"/> as JSON lines.</summary>
    public static RunContext ContextFor(
        Type flowType, FlowGraph graph, IBlobStore store, RunRecord runRecord, string user, string? @namespace, RunnerOptions options, TextWriter events, CancellationToken cancellationToken)
    {
        var writeLock = new Lock();
        return new RunContext
        {
            Graph = graph,
            RunId = runRecord.RunId,
            User = user,
            Namespace = @namespace ?? UserIdentity.NamespaceOf(user),
            Tags = [.. runRecord.SystemTags, .. runRecord.Tags],
            Parameters = runRecord.Parameters,
            Configs = runRecord.Configs,
            Effective = FlowMutation.Apply(graph, runRecord.Configs, options with { StepDecorators = runRecord.StepDecorators }),
            Metadata = new MetadataStore(store),
            Artifacts = new ArtifactStore(new ContentAddressedStore(store, graph.FlowName, new BlobCache()), new ArtifactCodec(SerializerRegistry.ForFlow(flowType)), graph.FlowName),
            Options = options,
            Cancellation = cancellationToken,
            OwnsProcess = true,
            EventSink = e =>
            {
                var line = JsonSerializer.Serialize(e, MetadataJson.Flexible);
                lock (writeLock)
                {
                    events.WriteLine(line);
                    events.Flush();
                }
            },
        };
    }

    /// <summary>The records and artifact indexes of finished tasks of the run, given as <c>step/task</c> paths.</summary>
    public static async Task<IReadOnlyList<(TaskRecord Record, ArtifactIndex Artifacts)>> ReadTasksAsync(RunContext run, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var tasks = new List<(TaskRecord, ArtifactIndex)>();
        foreach (var path in paths)
        {
            var parts = path.Split('/');
            if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            {
                throw new ArgumentException($"Flow '{run.FlowName}', run {run.RunId}: '{path}' is not a task path (step/task).");
            }
            var record = (await run.Metadata.ReadTasksAsync(run.FlowName, run.RunId, [(parts[0], parts[1])], cancellationToken).ConfigureAwait(false))[0]
                ?? throw new InvalidOperationException($"Task '{run.FlowName}/{run.RunId}/{path}' has no record in {run.Metadata.Store.Location}.");
            var index = (await run.Metadata.ReadArtifactIndexesAsync([record], cancellationToken).ConfigureAwait(false))[0]
                ?? throw new InvalidOperationException($"Task '{run.FlowName}/{run.RunId}/{path}' has no artifacts (did it finish?).");
            tasks.Add((record, index));
        }
        return tasks;
    }
}
