using System.Collections;
using System.Globalization;
using System.Reflection;
using Sharpflow.Artifacts;
using Sharpflow.Events;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Runs one task: a fresh flow instance with private copies of its inputs, the step invoked with its output captured,
/// its transition checked against the graph, and its artifacts and record stored.
/// </summary>
internal sealed class TaskRunner(RunContext run)
{
    private static readonly string Host = Environment.MachineName;

    public async Task<TaskOutcome> RunAsync(TaskSpec spec)
    {
        var record = new TaskRecord
        {
            FlowName = run.FlowName,
            RunId = run.RunId,
            StepName = spec.Step.Name,
            TaskId = spec.TaskId,
            Status = RunStatus.Running,
            StartedAt = DateTimeOffset.UtcNow,
            Host = Host,
            ProcessId = Environment.ProcessId,
            Parents = spec.Parents.Select(p => $"{p.Record.StepName}/{p.Record.TaskId}").ToArray(),
            Splits = spec.Splits,
        };
        await run.Metadata.WriteTaskAsync(record, CancellationToken.None).ConfigureAwait(false);
        var foreachPath = string.Join('.', spec.Splits.Where(s => s.Kind == TransitionKind.Foreach).Select(s => s.Index));
        run.Publish(new TaskStarted(run.FlowName, run.RunId, record.StartedAt, spec.Step.Name, spec.TaskId, 0, foreachPath));

        var log = new TaskLog((stream, line) =>
            run.Publish(new LogLine(run.FlowName, run.RunId, DateTimeOffset.UtcNow, spec.Step.Name, spec.TaskId, stream, line)));
        TaskOutcome outcome;
        try
        {
            using (TaskOutputCapture.Begin(log))
            {
                outcome = await ExecuteAsync(spec, record).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var status = e is OperationCanceledException && run.Cancellation.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed;
            var failed = record with { Status = status, FinishedAt = DateTimeOffset.UtcNow, Exception = ExceptionRecord.From(e) };
            outcome = new TaskOutcome(spec, failed, new ArtifactIndex(new Dictionary<string, ArtifactEntry>()));
        }
        log.Flush();
        await run.Metadata.WriteTaskResultAsync(outcome.Record, outcome.Succeeded ? outcome.Artifacts : null, log.Stdout, log.Stderr, CancellationToken.None)
            .ConfigureAwait(false);
        var finishedAt = outcome.Record.FinishedAt ?? DateTimeOffset.UtcNow;
        run.Publish(outcome.Succeeded
            ? new TaskFinished(run.FlowName, run.RunId, finishedAt, spec.Step.Name, spec.TaskId, 0, finishedAt - record.StartedAt)
            : new TaskFailed(run.FlowName, run.RunId, finishedAt, spec.Step.Name, spec.TaskId, 0, finishedAt - record.StartedAt, outcome.Record.Exception!));
        return outcome;
    }

    private async Task<TaskOutcome> ExecuteAsync(TaskSpec spec, TaskRecord record)
    {
        var step = spec.Step;
        var instance = run.CreateInstance();
        var members = ArtifactMember.Of(run.FlowType);
        object?[]? arguments = null;
        if (step.IsJoin)
        {
            arguments = [await CreateInputsAsync(step, spec.Parents).ConfigureAwait(false)];
        }
        else if (spec.Parents.Count == 1)
        {
            await run.Artifacts.HydrateAsync(instance, spec.Parents[0].Record.StepName, spec.Parents[0].Artifacts, run.Cancellation).ConfigureAwait(false);
        }
        SetParameters(instance);

        var current = new Current
        {
            FlowName = run.FlowName,
            RunId = run.RunId,
            StepName = step.Name,
            TaskId = spec.TaskId,
            Namespace = run.Namespace,
            User = run.User,
            Tags = run.Tags,
            ForeachStack = spec.Splits.Where(s => s.Kind == TransitionKind.Foreach).Select(s => s.ToForeachFrame()).ToArray(),
            CancellationToken = run.Cancellation,
        };
        Func<Type, object?>? foreachInput = spec.ForeachItem is { } item
            ? type => run.Artifacts.Codec.Decode(run.FlowName, step.Name, "Input", item.Serializer, item.TypeName, item.Data, type)
            : null;
        var execution = new StepExecution(current, foreachInput, step.IsJoin ? run.DefaultHashes : null, (flow, member) => run.HashOf(flow, member, step.Name));
        instance.Execution = execution;
        try
        {
            var result = step.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, CultureInfo.InvariantCulture);
            if (result is Task pending)
            {
                await pending.ConfigureAwait(false);
            }
        }
        finally
        {
            instance.Execution = null;
        }

        CheckTransition(step, execution);
        CheckParametersUnchanged(step, instance);
        var (foreachItems, chosenStep) = EvaluateTransition(step, instance, execution.Transition);
        var inherited = spec.Parents.Count == 1 && !step.IsJoin ? spec.Parents[0].Artifacts.Artifacts : null;
        var saved = members
            .Select(m => (m.Name, Value: run.Artifacts.Codec.Encode(run.FlowName, step.Name, m.Name, m.GetValue(instance))))
            .Where(a => spec.Parents.Count == 0 || inherited?.ContainsKey(a.Name) == true || execution.Merged.Contains(a.Name)
                || RunContext.HashOf(a.Value) != run.DefaultHashes[a.Name])
            .Concat(FlowParameter.Of(run.FlowType).Select(p => (Name: p.PropertyName, Value: run.Artifacts.Codec.Encode(run.FlowName, step.Name, p.PropertyName, p.Property.GetValue(instance)))))
            .ToArray();
        var index = await run.Artifacts.SaveAsync(saved, run.Cancellation).ConfigureAwait(false);
        var final = record with
        {
            Status = RunStatus.Succeeded,
            FinishedAt = DateTimeOffset.UtcNow,
            Transition = execution.Transition,
            ForeachCount = foreachItems.Count > 0 ? foreachItems.Count : null,
        };
        return new TaskOutcome(spec, final, index) { ForeachItems = foreachItems, ChosenStep = chosenStep };
    }

    private async Task<object> CreateInputsAsync(StepNode step, IReadOnlyList<TaskOutcome> parents)
    {
        var data = new List<IReadOnlyDictionary<string, ReadOnlyMemory<byte>>>(parents.Count);
        foreach (var parent in parents)
        {
            data.Add(await run.Artifacts.LoadAsync(parent.Artifacts, null, run.Cancellation).ConfigureAwait(false));
        }
        var sources = new JoinSources(parents, data, run.Artifacts, () =>
        {
            var input = run.CreateInstance();
            SetParameters(input);
            return input;
        });
        var inputsType = step.Method.GetParameters()[0].ParameterType;
        return Activator.CreateInstance(inputsType, BindingFlags.NonPublic | BindingFlags.Instance, null, [sources], CultureInfo.InvariantCulture)!;
    }

    private void SetParameters(FlowSpec instance)
    {
        foreach (var parameter in FlowParameter.Of(run.FlowType))
        {
            if (run.Parameters.TryGetValue(parameter.PropertyName, out var json))
            {
                parameter.Property.SetValue(instance, parameter.FromJson(json));
            }
        }
    }

    private void CheckParametersUnchanged(StepNode step, FlowSpec instance)
    {
        foreach (var parameter in FlowParameter.Of(run.FlowType))
        {
            if (run.Parameters.TryGetValue(parameter.PropertyName, out var json) && parameter.ToJson(parameter.Property.GetValue(instance)) != json)
            {
                throw new InvalidOperationException(
                    $"Flow '{run.FlowName}', step '{step.Name}': parameter '{parameter.PropertyName}' was changed by the step. Parameters are read-only; copy the value into an artifact to change it.");
            }
        }
    }

    private void CheckTransition(StepNode step, StepExecution execution)
    {
        if (execution.Transition is null)
        {
            if (step.Transition is not null)
            {
                throw new InvalidOperationException(
                    $"Flow '{run.FlowName}', step '{step.Name}' returned without calling {step.Transition}. Every path through a step must end with its transition.");
            }
            return;
        }
        if (step.Transition is null || !execution.Transition.SameShapeAs(step.Transition))
        {
            throw new InvalidOperationException(
                $"Flow '{run.FlowName}', step '{step.Name}' called {execution.Transition}, but the flow's graph says {step.Transition?.ToString() ?? "it has no transition"}. Transitions must be written as constants so the graph is known before the run.");
        }
    }

    private (IReadOnlyList<EncodedArtifact> ForeachItems, string? ChosenStep) EvaluateTransition(StepNode step, FlowSpec instance, StepTransition? transition)
    {
        switch (transition)
        {
            case { Kind: TransitionKind.Foreach, ForeachVariable: { } variable }:
                var list = ArtifactMember.Find(run.FlowType, variable)!.GetValue(instance) as IEnumerable
                    ?? throw new InvalidOperationException($"Flow '{run.FlowName}', step '{step.Name}': the foreach list '{variable}' is null. Assign a list before calling Next.");
                var items = list.Cast<object?>().ToArray();
                if (items.Length == 0)
                {
                    throw new InvalidOperationException($"Flow '{run.FlowName}', step '{step.Name}': the foreach list '{variable}' is empty; a foreach needs at least one item.");
                }
                if (items.Length > run.Options.MaxNumSplits)
                {
                    throw new InvalidOperationException(
                        $"Flow '{run.FlowName}', step '{step.Name}': the foreach over '{variable}' would start {items.Length} tasks, more than --max-num-splits {run.Options.MaxNumSplits}. Raise --max-num-splits if this is intended.");
                }
                return (items.Select((v, i) => run.Artifacts.Codec.Encode(run.FlowName, step.Name, $"{variable}[{i}]", v)).ToArray(), null);
            case { Kind: TransitionKind.Switch, SwitchCondition: { } condition, SwitchCases: { } cases }:
                var key = CaseKey(ArtifactMember.Find(run.FlowType, condition)!.GetValue(instance));
                var chosen = cases.FirstOrDefault(c => c.Value == key)
                    ?? throw new InvalidOperationException(
                        $"Flow '{run.FlowName}', step '{step.Name}': Switch on '{condition}' got the value \"{key}\", which matches no case. The cases are: {string.Join(", ", cases.Select(c => $"\"{c.Value}\""))}.");
                return ([], chosen.Step);
            default:
                return ([], null);
        }
    }

    internal static string CaseKey(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

}
