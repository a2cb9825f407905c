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
        var codec = new ArtifactCodec(SerializerRegistry.ForFlow(flowType));
        var writeLock = new Lock();
        var context = new RunContext
        {
            Graph = graph,
            RunId = spec.RunId,
            User = spec.User,
            Namespace = spec.Namespace ?? UserIdentity.NamespaceOf(spec.User),
            Tags = [.. runRecord.SystemTags, .. await metadata.ReadUserTagsAsync(runRecord, cancellationToken).ConfigureAwait(false)],
            Parameters = runRecord.Parameters,
            Configs = runRecord.Configs,
            Effective = FlowMutation.Apply(graph, runRecord.Configs, new RunnerOptions()),
            Metadata = metadata,
            Artifacts = new ArtifactStore(new ContentAddressedStore(store, graph.FlowName, new BlobCache()), codec, graph.FlowName),
            Options = new RunnerOptions { DatastoreRoot = datastoreRoot, MaxNumSplits = spec.MaxNumSplits, Namespace = spec.Namespace },
            Cancellation = cancellationToken,
            EventSink = e =>
            {
                var line = JsonSerializer.Serialize(e, MetadataJson.Options);
                lock (writeLock)
                {
                    events.WriteLine(line);
                    events.Flush();
                }
            },
        };

        var parents = new List<TaskOutcome>();
        foreach (var parent in spec.Parents)
        {
            var (step, task) = (parent.Split('/')[0], parent.Split('/')[1]);
            var record = (await metadata.ReadTasksAsync(graph.FlowName, spec.RunId, [(step, task)], cancellationToken).ConfigureAwait(false))[0]
                ?? throw new InvalidOperationException($"Parent task '{graph.FlowName}/{spec.RunId}/{parent}' has no record.");
            var index = (await metadata.ReadArtifactIndexesAsync([record], cancellationToken).ConfigureAwait(false))[0]
                ?? throw new InvalidOperationException($"Parent task '{graph.FlowName}/{spec.RunId}/{parent}' has no artifacts.");
            parents.Add(new TaskOutcome(new TaskSpec(graph[step], task, [], record.Splits, []), record, index));
        }
        var taskSpec = new TaskSpec(graph[spec.Step], spec.TaskId, parents, spec.Splits, spec.SplitItems.Select(i => i?.ToEncoded()).ToArray())
        {
            Iteration = spec.Iteration,
        };
        var outcome = await new TaskRunner(context).RunAttemptAsync(taskSpec, spec.Attempt, StepPolicy.For(context.Effective.DecoratorsOf(taskSpec.Step.Name)), spec.LastAttempt).ConfigureAwait(false);
        return outcome.Succeeded ? 0 : 1;
    }
}
