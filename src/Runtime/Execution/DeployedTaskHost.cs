using System.Globalization;
using System.Text;
using System.Text.Json;
using Sharpflow.Artifacts;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// One task of a run that an orchestrator (Argo Workflows) schedules: which step, the <c>step/task</c> paths of its
/// parents (a JSON array or comma-separated), the foreach index when its parent is a foreach split, the loop iteration
/// and the attempt. The start task also brings what creates the run: who deployed it, its namespace and tags, the
/// parameter values and the configs resolved at deploy time.
/// </summary>
internal sealed record DeployedTask(string RunId, string Step, string InputPaths, int SplitIndex, int Iteration, int Attempt, string? OutputsDirectory)
{
    public string User { get; init; } = UserIdentity.Current();

    public string? Namespace { get; init; }

    public string Runtime { get; init; } = "argo-workflows";

    public IReadOnlyList<string> SystemTags { get; init; } = [];

    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public string? ConfigsJson { get; init; }
}

/// <summary>
/// The worker side of a deployed run: works out a task's place in the run from its parents' records (the same split
/// frames, foreach items and loop iteration the local scheduler gives it), runs one attempt, and writes the outputs
/// the orchestrator routes on: <c>task-path</c>, <c>split-indices</c> (a foreach) and <c>switch-step</c> (a switch).
/// Task ids are derived from the task's place, so a retried pod continues the same task.
/// </summary>
internal static class DeployedTaskHost
{
    public static async Task<int> RunAsync(Type flowType, DeployedTask task, string? datastoreRoot, TextWriter events, CancellationToken cancellationToken)
    {
        var graph = FlowGraphExtractor.Extract(flowType);
        var step = graph[task.Step];
        var store = DatastoreLocation.Open(datastoreRoot);
        var runRecord = await RunRecordAsync(graph, new MetadataStore(store), task, step == graph.StartStep, cancellationToken).ConfigureAwait(false);
        var context = IsolatedTaskHost.ContextFor(flowType, graph, store, runRecord, runRecord.User, task.Namespace,
            new RunnerOptions { DatastoreRoot = datastoreRoot }, events, cancellationToken);

        var parents = new List<TaskOutcome>();
        foreach (var (record, artifacts) in await IsolatedTaskHost.ReadTasksAsync(context, ParsePaths(task.InputPaths), cancellationToken).ConfigureAwait(false))
        {
            parents.Add(await StoredOutcome.ForAsync(context, new TaskSpec(graph[record.StepName], record.TaskId, [], record.Splits, []), record, artifacts, cloned: false).ConfigureAwait(false));
        }
        var splits = SplitsOf(graph, step, task, parents);
        if (step.IsJoin)
        {
            parents = [.. parents.OrderBy(p => p.Record.Splits[^1].Index)];
        }
        var items = await SplitItemsAsync(context, splits, parents).ConfigureAwait(false);
        var taskId = TaskIdOf(TaskIdentity.Of(step.Name, splits, task.Iteration));
        var spec = new TaskSpec(step, taskId, parents, splits, items) { Iteration = task.Iteration };
        var policy = StepPolicy.For(context.Effective.DecoratorsOf(step.Name));
        var outcome = await new TaskRunner(context).RunAttemptAsync(spec, task.Attempt, policy, task.Attempt >= policy.RetryTimes).ConfigureAwait(false);
        if (outcome.Succeeded && task.OutputsDirectory is { } outputs)
        {
            Directory.CreateDirectory(outputs);
            await File.WriteAllTextAsync(Path.Combine(outputs, "task-path"), $"{step.Name}/{taskId}", cancellationToken).ConfigureAwait(false);
            if (outcome.Record.Transition?.Kind == TransitionKind.Foreach)
            {
                await File.WriteAllTextAsync(Path.Combine(outputs, "split-indices"), JsonSerializer.Serialize(Enumerable.Range(0, outcome.ForeachItems.Count)), cancellationToken).ConfigureAwait(false);
            }
            if (outcome.Record.Transition?.Kind == TransitionKind.Switch)
            {
                await File.WriteAllTextAsync(Path.Combine(outputs, "switch-step"), outcome.ChosenStep ?? outcome.Record.Next.Single(), cancellationToken).ConfigureAwait(false);
            }
        }
        return outcome.Succeeded ? 0 : 1;
    }

    /// <summary>
    /// The exit handler: records how the run ended (the orchestrator's status, the first failed task and why) and runs
    /// the flow's exit hooks, as a local run does when it finishes.
    /// </summary>
    public static async Task<int> FinishAsync(Type flowType, string runId, string status, string? datastoreRoot, TextWriter output, CancellationToken cancellationToken)
    {
        var graph = FlowGraphExtractor.Extract(flowType);
        var store = DatastoreLocation.Open(datastoreRoot);
        var metadata = new MetadataStore(store);
        var record = await metadata.ReadRunAsync(graph.FlowName, runId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            output.WriteLine($"Run '{graph.FlowName}/{runId}' was never created in {store.Location} (its start step did not run); the workflow ended {status}.");
            return 0;
        }
        var run = new Flow(graph.FlowName, new ClientOptions { BlobStore = store, Namespace = null })[runId];
        var failed = run.Steps.SelectMany(s => s.Tasks).Where(t => t.Record.Status == RunStatus.Failed).OrderBy(t => t.Record.FinishedAt).FirstOrDefault();
        var succeeded = string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase);
        var context = IsolatedTaskHost.ContextFor(flowType, graph, store, record, record.User, null, new RunnerOptions { DatastoreRoot = datastoreRoot }, TextWriter.Null, cancellationToken);
        record = record with
        {
            Status = succeeded ? RunStatus.Succeeded : RunStatus.Failed,
            FinishedAt = DateTimeOffset.UtcNow,
            Error = succeeded ? null : failed is not null ? Runner.FailureSummary(context, failed.Record) : $"The Argo workflow ended {status} before any task failed (a pod could not start, or the workflow was stopped).",
            FailedTask = failed is null ? null : $"{failed.Record.StepName}/{failed.Record.TaskId}",
        };
        await metadata.WriteRunAsync(record, cancellationToken).ConfigureAwait(false);
        var hooks = await ExitHookRunner.RunAsync(graph, new Flow(graph.FlowName, new ClientOptions { BlobStore = store, Namespace = null })[runId], _ => { }).ConfigureAwait(false);
        if (hooks.Count > 0)
        {
            await metadata.WriteRunAsync(record with { Hooks = hooks }, cancellationToken).ConfigureAwait(false);
        }
        output.WriteLine($"Run '{graph.FlowName}/{runId}' {record.Status}" + (record.Error is { } error ? $": {error}" : "."));
        if (succeeded && Environment.GetEnvironmentVariable(FlowEvents.WebhookVariable) is { Length: > 0 } webhook)
        {
            // Flows with [TriggerOnFinish] on this one wait for this event.
            var name = FlowEvents.Finished(graph.FlowName, ProjectBranch.FromTags(record.SystemTags));
            await FlowEvents.PublishAsync(new Uri(webhook), name, new Dictionary<string, string>
            {
                ["flow"] = graph.FlowName,
                ["run"] = runId,
                ["pathspec"] = $"{graph.FlowName}/{runId}",
            }, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Raised event '{name}'.");
        }
        return 0;
    }

    /// <summary>A task id from the task's place in the run: the same place (a retried pod) gives the same task.</summary>
    public static string TaskIdOf(string identity) => "t-" + BlobCodec.Hash(Encoding.UTF8.GetBytes(identity))[..12];

    /// <summary>Parent paths as Argo hands them over: a JSON array (a foreach's gathered outputs) or comma-separated.</summary>
    public static IReadOnlyList<string> ParsePaths(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return [];
        }
        if (text.StartsWith('['))
        {
            return JsonSerializer.Deserialize<string[]>(text) ?? [];
        }
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The run's record; the start task creates it (a retried start finds it already there).</summary>
    private static async Task<RunRecord> RunRecordAsync(FlowGraph graph, MetadataStore metadata, DeployedTask task, bool isStart, CancellationToken cancellationToken)
    {
        if (await metadata.ReadRunAsync(graph.FlowName, task.RunId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }
        if (!isStart)
        {
            throw new InvalidOperationException($"Run '{graph.FlowName}/{task.RunId}' is not in the datastore at {metadata.Store.Location}: its start step creates it, so step '{task.Step}' cannot run before it.");
        }
        var configs = task.ConfigsJson is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, ConfigRecord>>(json, MetadataJson.Flexible) ?? []
            : new Dictionary<string, ConfigRecord>();
        var effective = FlowMutation.Apply(graph, configs, new RunnerOptions());
        var given = task.Parameters.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
        // Files a deployment includes are stored when it is created; one named by path is read here, in the pod, if it is there.
        var parameters = await IncludedFiles.StoreAsync(graph.FlowName, effective.ParametersOf(graph.FlowType),
            ParameterResolver.Resolve(graph.FlowType, given, () => (FlowSpec)Activator.CreateInstance(graph.FlowType)!, effective),
            new ContentAddressedStore(metadata.Store, graph.FlowName), cancellationToken).ConfigureAwait(false);
        var record = new RunRecord
        {
            FlowName = graph.FlowName,
            RunId = task.RunId,
            User = task.User,
            SystemTags = [.. Runner.SystemTags(graph, task.Namespace ?? UserIdentity.NamespaceOf(task.User), task.Runtime), .. task.SystemTags],
            Parameters = parameters,
            Configs = configs,
            Status = RunStatus.Running,
            CreatedAt = DateTimeOffset.UtcNow,
            Host = Environment.MachineName,
        };
        return await metadata.TryCreateRunAsync(record, cancellationToken).ConfigureAwait(false)
            ? record
            : (await metadata.ReadRunAsync(graph.FlowName, task.RunId, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The task's split frames, as the local scheduler would give them (see <c>LocalScheduler.Schedule</c>).</summary>
    private static IReadOnlyList<SplitFrame> SplitsOf(FlowGraph graph, StepNode step, DeployedTask task, IReadOnlyList<TaskOutcome> parents)
    {
        if (parents.Count == 0)
        {
            return step == graph.StartStep ? [] : throw new ArgumentException($"Flow '{graph.FlowName}', step '{step.Name}': no --input-paths; only the start step has no parents.");
        }
        if (step.IsJoin)
        {
            var outer = parents[0].Record.Splits;
            return outer.Count == 0
                ? throw new InvalidOperationException($"Flow '{graph.FlowName}', join '{step.Name}': its parent {parents[0].Record.StepName}/{parents[0].Record.TaskId} is in no split.")
                : outer.Take(outer.Count - 1).ToArray();
        }
        if (parents.Count != 1)
        {
            throw new ArgumentException($"Flow '{graph.FlowName}', step '{step.Name}' is not a join but got {parents.Count} parents ({task.InputPaths}).");
        }
        var parent = parents[0].Record;
        var transition = parent.Transition ?? throw new InvalidOperationException($"Task {parent.StepName}/{parent.TaskId} of run {parent.RunId} recorded no transition.");
        return transition.Kind switch
        {
            TransitionKind.Branch => [.. parent.Splits, new SplitFrame(parent.StepName, parent.TaskId, TransitionKind.Branch, IndexOf(transition.Targets, step.Name, graph), transition.Targets.Count, null) { SplitIteration = parent.Iteration }],
            TransitionKind.Foreach => task.SplitIndex >= 0 && task.SplitIndex < parents[0].ForeachItems.Count
                ? [.. parent.Splits, new SplitFrame(parent.StepName, parent.TaskId, TransitionKind.Foreach, task.SplitIndex, parents[0].ForeachItems.Count, transition.ForeachVariable) { SplitIteration = parent.Iteration }]
                : throw new ArgumentException($"Flow '{graph.FlowName}', step '{step.Name}': --split-index {task.SplitIndex} is not an index of the {parents[0].ForeachItems.Count} items of {parent.StepName}/{parent.TaskId}."),
            _ => parent.Splits,
        };
    }

    private static int IndexOf(IReadOnlyList<string> targets, string step, FlowGraph graph)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] == step)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"Flow '{graph.FlowName}': step '{step}' is not a branch of its parent ({string.Join(", ", targets)}).");
    }

    /// <summary>For every foreach frame, the item of this task (read from the split task's stored list); null for branch frames.</summary>
    private static async Task<ForeachItem?[]> SplitItemsAsync(RunContext run, IReadOnlyList<SplitFrame> splits, IReadOnlyList<TaskOutcome> parents)
    {
        var items = new ForeachItem?[splits.Count];
        for (var i = 0; i < splits.Count; i++)
        {
            var frame = splits[i];
            if (frame.Kind != TransitionKind.Foreach)
            {
                continue;
            }
            var split = parents.FirstOrDefault(p => p.Record.StepName == frame.SplitStep && p.Record.TaskId == frame.SplitTaskId);
            if (split is null)
            {
                var (record, artifacts) = (await IsolatedTaskHost.ReadTasksAsync(run, [$"{frame.SplitStep}/{frame.SplitTaskId}"], run.Cancellation).ConfigureAwait(false))[0];
                split = await StoredOutcome.ForAsync(run, new TaskSpec(run.Graph[record.StepName], record.TaskId, [], record.Splits, []), record, artifacts, cloned: false).ConfigureAwait(false);
            }
            items[i] = split.ForeachItems[frame.Index];
        }
        return items;
    }

    /// <summary>Parses <c>name=value</c> pairs (the start task's <c>--param</c>).</summary>
    public static Dictionary<string, string> ParseParameters(IEnumerable<string> pairs, string flow)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"Flow '{flow}': --param '{pair}' is not name=value.");
            }
            values[pair[..equals]] = pair[(equals + 1)..];
        }
        return values;
    }

    /// <summary>An integer option that Argo fills in (e.g. <c>{{retries}}</c>): a clear error when it was not substituted.</summary>
    public static int ParseInt(string text, string option) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value : throw new ArgumentException($"{option} '{text}' is not an integer (was an Argo template parameter left unsubstituted?).");
}
