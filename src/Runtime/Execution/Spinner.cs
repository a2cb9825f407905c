using System.Collections;
using System.Text.Json;
using Sharpflow.Artifacts;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Runs exactly one step with the inputs it had in a past run (or given directly), as the only task of a new run, so
/// the run it reads is never touched.
/// </summary>
internal sealed class Spinner(Runner runner)
{
    private FlowGraph Graph => runner.Graph;

    public async Task<Run> SpinAsync(SpinOptions options, CancellationToken cancellationToken)
    {
        GraphValidator.EnsureValid(Graph);
        var step = Graph.Resolve(options.Step) ?? throw new ArgumentException(
            $"Flow '{Graph.FlowName}' has no step '{options.Step}' to spin. Its steps are: {string.Join(", ", Graph.Steps.Select(s => s.Name))}.");
        var store = options.Persist ? runner.Store : new OverlayBlobStore(new InMemoryBlobStore(), runner.Store);
        var metadata = new MetadataStore(store);

        TaskSpec spec;
        RunInputs inputs;
        string? originRunId = null;
        var codec = new ArtifactCodec(SerializerRegistry.ForFlow(Graph.FlowType));
        if (options.Inputs is not null)
        {
            var configs = Config.ConfigResolver.Resolve(Graph.FlowType, runner.Options.ConfigPaths, runner.Options.ConfigValues);
            var effective = FlowMutation.Apply(Graph, configs, runner.Options);
            inputs = new RunInputs(
                ParameterResolver.Resolve(Graph.FlowType, options.Parameters, () => (FlowSpec)Activator.CreateInstance(Graph.FlowType)!, effective),
                configs,
                effective);
            spec = DirectSpec(step, options, codec);
        }
        else
        {
            var origin = ResolveOrigin(options);
            originRunId = origin.Id;
            inputs = RunInputs.Of(origin, Graph, runner.Options);
            if (options.Parameters is { Count: > 0 } given)
            {
                inputs = inputs with { Parameters = WithParameters(inputs, given) };
            }
            var artifacts = new ArtifactStore(new ContentAddressedStore(runner.Store, Graph.FlowName), codec, Graph.FlowName);
            spec = await SpecFromRunAsync(step, origin, options, metadata, artifacts, cancellationToken).ConfigureAwait(false);
        }

        var context = await runner.StartRunAsync(store, inputs, null, "spin", originRunId, cancellationToken).ConfigureAwait(false);
        await using var lifetime = context.Lifetime!;
        var outcome = await new TaskRunner(context).RunAsync(spec).ConfigureAwait(false);
        var record = (await context.Metadata.ReadRunAsync(context.FlowName, context.RunId, CancellationToken.None).ConfigureAwait(false))! with
        {
            Status = outcome.Record.Status,
            FinishedAt = DateTimeOffset.UtcNow,
            Error = outcome.Record.Exception is { } e ? $"Spun step '{step.Name}' failed with {e.Type}: {e.Message}" : null,
            FailedTask = outcome.Succeeded ? null : $"{step.Name}/{spec.TaskId}",
        };
        await lifetime.EndAsync(record).ConfigureAwait(false);
        return new Flow(Graph.FlowName, new ClientOptions { BlobStore = store, Namespace = null })[context.RunId];
    }

    private Run ResolveOrigin(SpinOptions options)
    {
        var flow = new Flow(Graph.FlowName, new ClientOptions
        {
            BlobStore = runner.Store,
            Namespace = options.RunId is null ? UserIdentity.NamespaceOf(runner.Options.User ?? UserIdentity.Current()) : null,
        });
        return options.RunId is { } id ? flow[id]
            : flow.LatestRun
              ?? throw new InvalidOperationException($"Flow '{Graph.FlowName}' has no run to spin from in namespace '{flow.Namespace}'; run it first or pass SpinOptions.Inputs.");
    }

    private async Task<TaskSpec> SpecFromRunAsync(StepNode step, Run origin, SpinOptions options, MetadataStore metadata, ArtifactStore artifacts, CancellationToken cancellationToken)
    {
        var ids = await metadata.ListTasksAsync(Graph.FlowName, origin.Id, step.Name, cancellationToken).ConfigureAwait(false);
        var task = options.TaskId is { } taskId
            ? ids.Contains(taskId) ? origin[step.Name][taskId] : throw new ArgumentException($"Run '{origin.Pathspec}' has no task '{taskId}' of step '{step.Name}'. Its tasks are: {string.Join(", ", ids)}.")
            : ids.Count == 0 ? null : origin[step.Name].Tasks.FirstOrDefault(t => !t.Successful) ?? origin[step.Name].Tasks.FirstOrDefault();
        if (task is null)
        {
            throw new InvalidOperationException($"Run '{origin.Pathspec}' never reached step '{step.Name}', so there are no inputs to spin it with. Spin an earlier step, or pass SpinOptions.Inputs.");
        }

        // The parents are read step by step in one batch each (a join over a wide step from its task lists), not one by one,
        // and handed over in their recorded order.
        var parents = new Dictionary<string, TaskOutcome>(StringComparer.Ordinal);
        foreach (var group in task.Parents.Select(p => p.Split('/')).GroupBy(p => p[0], p => p[1], StringComparer.Ordinal))
        {
            var parentIds = group.ToArray();
            var records = await metadata.ReadStepTasksAsync(Graph.FlowName, origin.Id, group.Key, parentIds, message => Console.Error.WriteLine($"warning: {message}"), cancellationToken).ConfigureAwait(false);
            InvalidOperationException NotAnInput(string id) =>
                new($"Parent task '{origin.Pathspec}/{group.Key}/{id}' of step '{step.Name}' did not succeed, so its artifacts cannot be spin inputs.");
            if (Array.FindIndex([.. records], r => r is not { Status: RunStatus.Succeeded }) is var notSucceeded and >= 0)
            {
                throw NotAnInput(parentIds[notSucceeded]);
            }
            var indexes = await metadata.ReadArtifactIndexesAsync([.. records.Select(r => r!)], cancellationToken).ConfigureAwait(false);
            if (Array.FindIndex([.. indexes], i => i is null) is var unindexed and >= 0)
            {
                throw NotAnInput(parentIds[unindexed]);
            }
            for (var i = 0; i < parentIds.Length; i++)
            {
                parents[$"{group.Key}/{parentIds[i]}"] = new TaskOutcome(new TaskSpec(Graph[group.Key], parentIds[i], [], records[i]!.Splits, []), records[i]!, indexes[i]!);
            }
        }

        var items = new List<ForeachItem?>();
        foreach (var frame in task.Record.Splits)
        {
            items.Add(frame.Kind == TransitionKind.Foreach ? ForeachItem.Of(await ForeachItemAsync(origin, frame, metadata, artifacts, cancellationToken).ConfigureAwait(false)) : null);
        }
        return new TaskSpec(step, "1", [.. task.Parents.Select(p => parents[p])], task.Record.Splits, items)
        {
            Iteration = task.Record.Iteration,
            Overrides = Convert(options.Overrides),
        };
    }

    /// <summary>The item a foreach frame handed to the task: element <c>Index</c> of the split task's list artifact, re-encoded.</summary>
    private async Task<EncodedArtifact> ForeachItemAsync(Run origin, SplitFrame frame, MetadataStore metadata, ArtifactStore artifacts, CancellationToken cancellationToken)
    {
        var variable = frame.Variable!;
        var split = (await metadata.ReadTasksAsync(Graph.FlowName, origin.Id, [(frame.SplitStep, frame.SplitTaskId)], cancellationToken).ConfigureAwait(false))[0];
        var index = split is null ? null : (await metadata.ReadArtifactIndexesAsync([split], cancellationToken).ConfigureAwait(false))[0];
        if (index?.Artifacts.GetValueOrDefault(variable) is not { } entry)
        {
            throw new InvalidOperationException($"The foreach list '{variable}' of task '{origin.Pathspec}/{frame.SplitStep}/{frame.SplitTaskId}' is not in the datastore.");
        }
        var list = await artifacts.LoadValueAsync(frame.SplitStep, variable, entry, ArtifactMember.Find(Graph.FlowType, variable)!.Type, cancellationToken).ConfigureAwait(false) as IEnumerable;
        var item = (list ?? Array.Empty<object>()).Cast<object?>().ElementAt(frame.Index);
        return artifacts.Codec.Encode(Graph.FlowName, frame.SplitStep, $"{variable}[{frame.Index}]", item);
    }

    private TaskSpec DirectSpec(StepNode step, SpinOptions options, ArtifactCodec codec)
    {
        if (step.IsJoin)
        {
            throw new ArgumentException($"Flow '{Graph.FlowName}': step '{step.Name}' is a join; spin it against a past run (its inputs are parent tasks), not with SpinOptions.Inputs.");
        }
        var overrides = Convert(options.Inputs!.Concat(options.Overrides ?? new Dictionary<string, object?>()).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        if (options.ForeachInput is null)
        {
            return new TaskSpec(step, "1", [], [], []) { Overrides = overrides };
        }
        var frame = new SplitFrame("(spin)", "0", TransitionKind.Foreach, 0, 1, "(input)");
        return new TaskSpec(step, "1", [], [frame], [ForeachItem.Of(codec.Encode(Graph.FlowName, step.Name, "Input", options.ForeachInput))]) { Overrides = overrides };
    }

    /// <summary>The origin run's parameter values with the given ones in their place (checked and parsed as a run's are).</summary>
    private IReadOnlyDictionary<string, string> WithParameters(RunInputs origin, IReadOnlyDictionary<string, object?> given)
    {
        var resolved = ParameterResolver.Resolve(Graph.FlowType, given, () => (FlowSpec)Activator.CreateInstance(Graph.FlowType)!, origin.Effective);
        var merged = new Dictionary<string, string>(origin.Parameters, StringComparer.Ordinal);
        foreach (var parameter in origin.Effective.ParametersOf(Graph.FlowType).Where(p => given.ContainsKey(p.PropertyName) || given.ContainsKey(p.Name)))
        {
            merged[parameter.PropertyName] = resolved[parameter.PropertyName];
        }
        return merged;
    }

    /// <summary>Override values by artifact name, converted to each artifact's type (JSON from the CLI included).</summary>
    private IReadOnlyDictionary<string, object?> Convert(IReadOnlyDictionary<string, object?>? values)
    {
        var converted = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in values ?? new Dictionary<string, object?>())
        {
            var member = ArtifactMember.Find(Graph.FlowType, name) ?? throw new ArgumentException(
                $"Flow '{Graph.FlowName}' has no artifact '{name}' to override. Its artifacts are: {string.Join(", ", ArtifactMember.Of(Graph.FlowType).Select(m => m.Name))}.");
            converted[name] = value is JsonElement json ? json.Deserialize(member.Type, DataJson.Options) : value;
        }
        return converted;
    }
}
