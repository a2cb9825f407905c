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

    /// <summary>Runs the task with its step's policy: each attempt bounded by the timeout, failed attempts retried, a final failure caught.</summary>
    public async Task<TaskOutcome> RunAsync(TaskSpec spec)
    {
        var policy = StepPolicy.For(run.Effective.DecoratorsOf(spec.Step.Name));
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt >= policy.RetryTimes;
            var outcome = await AttemptAsync(spec, attempt, policy, last).ConfigureAwait(false);
            if (outcome.Succeeded || outcome.Record.Status == RunStatus.Cancelled || last)
            {
                return outcome;
            }
            await Task.Delay(policy.RetryDelay, run.Cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One attempt where the step runs: a compute backend (its attribute, or <c>--with</c>), a child process (with
    /// <c>--isolation process</c>, or for a step with [Environment] when the flow's program can be started again), or here.
    /// </summary>
    private async Task<TaskOutcome> AttemptAsync(TaskSpec spec, int attempt, StepPolicy policy, bool last)
    {
        if (Compute.ComputeChoice.For(policy, run.Options) is { } choice)
        {
            return await new ProcessAttemptRunner(run, choice.Backend, choice.Attribute).RunAsync(spec, attempt, last, policy).ConfigureAwait(false);
        }
        var ownProcess = policy.Environment is { } environment && environment.ToDictionary(run.FlowName, spec.Step.Name).Count > 0
            && !run.OwnsProcess && run.Options.TaskCommand is { Count: > 0 };
        return run.Options.Isolation == TaskIsolation.Process || ownProcess
            ? await new ProcessAttemptRunner(run, ChildProcessBackend.Instance, null).RunAsync(spec, attempt, last, policy).ConfigureAwait(false)
            : await RunAttemptAsync(spec, attempt, policy, last).ConfigureAwait(false);
    }

    /// <summary>One attempt in this process; when it is the last and fails, [Catch] (if any) turns the failure into an artifact.</summary>
    internal async Task<TaskOutcome> RunAttemptAsync(TaskSpec spec, int attempt, StepPolicy policy, bool last)
    {
        var state = new AttemptState();
        var outcome = await RunAttemptAsync(spec, attempt, policy, state).ConfigureAwait(false);
        return !outcome.Succeeded && last && outcome.Record.Status != RunStatus.Cancelled
            && policy.CatchVariable is { } variable && state.Instance is { } instance
            ? await CatchAsync(spec, outcome, instance, variable, state.NotLoaded).ConfigureAwait(false)
            : outcome;
    }

    /// <summary>Everything one attempt leaves behind for the policy: the flow instance, as it was when the attempt ended, and its cards.</summary>
    private sealed class AttemptState
    {
        public FlowSpec? Instance { get; set; }

        public TaskCards? Cards { get; set; }

        /// <summary>The values the members the task did not load held before the step ran (see <see cref="NotLoaded"/>).</summary>
        public NotLoaded? NotLoaded { get; set; }
    }

    private async Task<TaskOutcome> RunAttemptAsync(TaskSpec spec, int attempt, StepPolicy policy, AttemptState state)
    {
        var record = new TaskRecord
        {
            FlowName = run.FlowName,
            RunId = run.RunId,
            StepName = spec.Step.Name,
            TaskId = spec.TaskId,
            Status = RunStatus.Running,
            Attempt = attempt,
            StartedAt = DateTimeOffset.UtcNow,
            Host = Host,
            ProcessId = Environment.ProcessId,
            Placement = TaskPlacement.Current,
            Parents = spec.Parents.Select(p => $"{p.Record.StepName}/{p.Record.TaskId}").ToArray(),
            Splits = spec.Splits,
            Iteration = spec.Iteration,
            Resources = run.Effective.DecoratorsOf(spec.Step.Name).OfType<ResourcesAttribute>().LastOrDefault()?.ToString(),
        };
        var log = new TaskLog((stream, line) =>
            run.Publish(new LogLine(run.FlowName, run.RunId, DateTimeOffset.UtcNow, spec.Step.Name, spec.TaskId, stream, line)));
        if (run.Lifetime is { } lifetime)
        {
            lifetime.TaskStarted(record, log); // the run's lifetime writes the running record if the task is still running at its next tick
        }
        else
        {
            await run.Metadata.WriteTaskAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        var foreachPath = string.Join('.', spec.Splits.Where(s => s.Kind == TransitionKind.Foreach).Select(s => s.Index));
        run.Publish(new TaskStarted(run.FlowName, run.RunId, record.StartedAt, spec.Step.Name, spec.TaskId, attempt, foreachPath));
        TaskOutcome outcome;
        try
        {
            state.Cards = new TaskCards(run, spec, () => record, () => state.Instance, log);
            using (TaskOutputCapture.Begin(log))
            {
                outcome = await ExecuteAsync(spec, record, policy, state).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // OutOfMemoryException too: the allocation that failed is gone, so the task's failure can still be recorded
            // (a process the operating system kills for memory is shown as crashed instead).
            var status = e is OperationCanceledException && run.Cancellation.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed;
            var failed = record with { Status = status, FinishedAt = DateTimeOffset.UtcNow, Exception = ExceptionRecord.From(e) };
            outcome = new TaskOutcome(spec, failed, new ArtifactIndex(new Dictionary<string, ArtifactEntry>()));
        }
        log.Flush();
        if (outcome.Record.Exception is { } failure)
        {
            log.Keep($"{failure.StackTrace}\n"); // the full trace stays with the task (`logs --stderr`); the live output shows its user frames
        }
        if (run.Lifetime is { } ending)
        {
            await ending.TaskEndingAsync(outcome.Record).ConfigureAwait(false);
        }
        await run.Metadata.WriteTaskResultAsync(outcome.Record, outcome.Succeeded ? outcome.Artifacts : null, log.Stdout, log.Stderr, CancellationToken.None)
            .ConfigureAwait(false);
        run.Lifetime?.TaskEnded(outcome.Record);
        state.Cards?.Render(outcome.Record, state.Instance, outcome.Succeeded ? outcome.Artifacts : null, log.Stdout, log.Stderr, final: true);
        PublishEnd(outcome.Record);
        return outcome;
    }

    private void PublishEnd(TaskRecord record)
    {
        var finishedAt = record.FinishedAt ?? DateTimeOffset.UtcNow;
        run.Publish(record.Status == RunStatus.Succeeded
            ? new TaskFinished(run.FlowName, run.RunId, finishedAt, record.StepName, record.TaskId, record.Attempt, finishedAt - record.StartedAt)
            : new TaskFailed(run.FlowName, run.RunId, finishedAt, record.StepName, record.TaskId, record.Attempt, finishedAt - record.StartedAt, record.Exception!));
    }

    /// <summary>
    /// [Catch]: the last attempt failed, so the task succeeds with its state at the time of failure plus the exception
    /// as an artifact, and the flow follows the step's transition from the graph.
    /// </summary>
    private async Task<TaskOutcome> CatchAsync(TaskSpec spec, TaskOutcome failed, FlowSpec instance, string variable, NotLoaded? notLoaded)
    {
        var step = spec.Step;
        if (step.Transition is { Kind: TransitionKind.Foreach or TransitionKind.Switch })
        {
            return failed; // the next steps depend on the step's result, which it never produced
        }
        var exception = failed.Record.Exception!;
        var member = ArtifactMember.Find(run.FlowType, variable);
        // The variable gets the whole failure, as its declared type can hold it.
        object caughtValue = member is null || member.Type.IsAssignableFrom(typeof(ExceptionRecord)) ? exception
            : member.Type.IsAssignableFrom(typeof(CaughtException)) ? new CaughtException(exception)
            : member.Type == typeof(string) ? $"{exception.Type}: {exception.Message}"
            : throw new InvalidOperationException(
                $"Flow '{run.FlowName}', step '{step.Name}': [Catch(Var = \"{variable}\")] cannot store the failure in '{variable}', a {member.Type.Name}; "
                + "declare it as Exception (a CaughtException with the original type, message and stack), ExceptionRecord, string or object.");
        member?.SetValue(instance, caughtValue);
        var caughtArtifact = (variable, run.Artifacts.Codec.Encode(run.FlowName, step.Name, variable, caughtValue));
        (IReadOnlyList<(string Name, EncodedArtifact Value)> Encoded, IReadOnlyDictionary<string, ArtifactEntry> Carried) saved;
        try
        {
            var (encoded, carried) = EncodeArtifacts(spec, instance, merged: new HashSet<string>(), notLoaded);
            saved = (encoded.Where(a => a.Name != variable).Append(caughtArtifact).ToArray(), carried.Where(c => c.Key != variable).ToDictionary(StringComparer.Ordinal));
        }
        catch (ArtifactSerializationException)
        {
            saved = ([caughtArtifact], new Dictionary<string, ArtifactEntry>()); // the step failed because its state cannot be saved: keep the exception alone
        }
        var index = await run.Artifacts.SaveAsync(saved.Encoded, saved.Carried, run.Cancellation).ConfigureAwait(false);
        var caught = failed.Record with
        {
            Status = RunStatus.Succeeded,
            FinishedAt = DateTimeOffset.UtcNow,
            Transition = step.Transition,
            Next = step.OutSteps,
        };
        var stdout = await run.Metadata.ReadLogAsync(failed.Record, "stdout").ConfigureAwait(false);
        var stderr = await run.Metadata.ReadLogAsync(failed.Record, "stderr").ConfigureAwait(false);
        await run.Metadata.WriteTaskResultAsync(caught, index, stdout, $"{stderr}[Catch] {exception.Type}: {exception.Message} (stored as artifact '{variable}')\n", CancellationToken.None, recordAttempt: false)
            .ConfigureAwait(false);
        PublishEnd(caught);
        return new TaskOutcome(spec, caught, index);
    }

    private async Task<TaskOutcome> ExecuteAsync(TaskSpec spec, TaskRecord record, StepPolicy policy, AttemptState state)
    {
        var step = spec.Step;
        var instance = run.CreateInstance();
        object?[]? arguments = null;
        if (step.IsJoin)
        {
            arguments = [CreateInputs(step, spec.Parents)];
        }
        else if (spec.Parents.Count == 1)
        {
            await run.Artifacts.HydrateAsync(instance, spec.Parents[0].Record.StepName, spec.Parents[0].Artifacts, UsedArtifacts(spec), run.Cancellation).ConfigureAwait(false);
        }
        foreach (var (name, value) in spec.Overrides)
        {
            ArtifactMember.Find(run.FlowType, name)!.SetValue(instance, value);
        }
        var inputs = await RunInputBinder.ApplyAsync(run, instance).ConfigureAwait(false);
        state.Instance = instance;
        state.NotLoaded = UsedArtifacts(spec) is { } used ? NotLoaded.Of(run.FlowType, instance, used) : null;

        using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation);
        var current = new Current
        {
            FlowName = run.FlowName,
            RunId = run.RunId,
            StepName = step.Name,
            TaskId = spec.TaskId,
            RetryCount = record.Attempt,
            Namespace = run.Namespace,
            User = run.User,
            Tags = run.Tags,
            Parameters = run.Parameters,
            ForeachStack = spec.Splits.Where(s => s.Kind == TransitionKind.Foreach).Select(s => s.ToForeachFrame()).ToArray(),
            CancellationToken = attemptCancellation.Token,
            Card = state.Cards!.Set,
            Checkpoint = new Checkpoint(
                new CheckpointStore(run.Metadata.Store, run.Artifacts, run.FlowName, run.RunId, step.Name, spec.TaskId, record.Attempt),
                attemptCancellation.Token),
        };
        var item = spec.ForeachItem is { } foreachItem ? await foreachItem.ReadAsync().ConfigureAwait(false) : (EncodedArtifact?)null;
        Func<Type, object?>? foreachInput = item is { } input
            ? type => run.Artifacts.Codec.Decode(run.FlowName, step.Name, "Input", input.Serializer, input.TypeName, input.Data, type)
            : null;
        var execution = new StepExecution(current, foreachInput, step.IsJoin ? new JoinStart(instance, run.DefaultHashes, (flow, member) => run.HashOf(flow, member, step.Name)) : null);
        instance.Execution = execution;
        try
        {
            var variables = policy.Environment?.ToDictionary(run.FlowName, step.Name) ?? new Dictionary<string, string>();
            await using (await StepEnvironment.ApplyAsync(variables, run.OwnsProcess, attemptCancellation.Token).ConfigureAwait(false))
            {
                await InvokeAsync(step, instance, arguments, policy, execution, attemptCancellation).ConfigureAwait(false);
            }
        }
        finally
        {
            instance.Execution = null;
        }

        CheckTransition(step, execution);
        RunInputBinder.CheckUnchanged(run, step, instance, inputs);
        var (foreachItems, chosenStep) = EvaluateTransition(step, instance, execution.Transition);
        var (encodedArtifacts, carriedArtifacts) = EncodeArtifacts(spec, instance, execution.Merged, state.NotLoaded);
        var index = await run.Artifacts.SaveAsync(encodedArtifacts, carriedArtifacts, run.Cancellation).ConfigureAwait(false);
        var final = record with
        {
            Status = RunStatus.Succeeded,
            FinishedAt = DateTimeOffset.UtcNow,
            Transition = execution.Transition,
            Next = chosenStep is not null ? [chosenStep] : step.OutSteps,
            ForeachCount = foreachItems.Count > 0 ? foreachItems.Count : null,
        };
        return new TaskOutcome(spec, final, index) { ForeachItems = foreachItems, ChosenStep = chosenStep };
    }

    /// <summary>
    /// Invokes the step through its user decorators (first declared outermost) on a pool thread; with a timeout,
    /// cancels the attempt's token and stops waiting when it expires.
    /// </summary>
    private async Task InvokeAsync(StepNode step, FlowSpec instance, object?[]? arguments, StepPolicy policy, StepExecution execution, CancellationTokenSource attempt)
    {
        var context = new StepInvocation(instance, execution.Current);
        Func<Task> chain = async () =>
        {
            execution.ResetTransition();
            context.Invocations++;
            var result = step.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, CultureInfo.InvariantCulture);
            if (result is Task pending)
            {
                await pending.ConfigureAwait(false);
            }
        };
        foreach (var decorator in policy.Decorators.Reverse())
        {
            var next = chain;
            chain = () => decorator.InvokeAsync(context, next);
        }
        var invocation = Task.Run(async () =>
        {
            await chain().ConfigureAwait(false);
            if (context.Invocations == 0)
            {
                execution.RecordSkip(step);
            }
        });
        if (policy.Timeout is not { } limit)
        {
            await invocation.ConfigureAwait(false);
            return;
        }
        attempt.CancelAfter(limit);
        try
        {
            await invocation.WaitAsync(attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested && !run.Cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"Flow '{run.FlowName}', step '{step.Name}' did not finish within its [Timeout] of {limit}. Its cancellation token was cancelled; raise the timeout or make the step observe Current.CancellationToken.");
        }
    }

    /// <summary>
    /// The artifacts a task stores: everything in the start step; elsewhere what it inherited, merged, or changed from
    /// the flow's defaults (a join starts from defaults), plus the parameters. An inherited artifact the step's code
    /// cannot touch (<see cref="UsedArtifacts"/>) keeps the parent's stored reference: it is neither decoded nor encoded,
    /// unless code the analysis cannot see (a library writing the flow by reflection) assigned it during the step.
    /// </summary>
    private (IReadOnlyList<(string Name, EncodedArtifact Value)> Encoded, IReadOnlyDictionary<string, ArtifactEntry> Carried) EncodeArtifacts(
        TaskSpec spec, FlowSpec instance, IReadOnlySet<string> merged, NotLoaded? notLoaded)
    {
        var step = spec.Step;
        var inherited = spec.Parents.Count == 1 && !step.IsJoin ? spec.Parents[0].Artifacts.Artifacts : null;
        var used = UsedArtifacts(spec);
        if (used is not null && notLoaded?.Assigned(instance) is { Count: > 0 } assigned)
        {
            used = used.Union(assigned).ToHashSet(StringComparer.Ordinal);
        }
        var members = ArtifactMember.Of(run.FlowType);
        // An included file is already stored as its value's blob (the step cannot have changed it: RunInputBinder checks).
        var files = run.Effective.ParametersOf(run.FlowType)
            .Where(p => p.IncludesFile && run.Parameters.TryGetValue(p.PropertyName, out var json) && IncludedFiles.RecordOf(json) is not null)
            .ToDictionary(p => p.PropertyName, p => IncludedFiles.EntryOf(p, IncludedFiles.RecordOf(run.Parameters[p.PropertyName])!), StringComparer.Ordinal);
        var carried = used is null || inherited is null ? new Dictionary<string, ArtifactEntry>()
            : members.Where(m => !used.Contains(m.Name) && inherited.ContainsKey(m.Name)).ToDictionary(m => m.Name, m => inherited[m.Name], StringComparer.Ordinal);
        var encoded = members
            .Where(m => used is null || inherited is null || used.Contains(m.Name)) // the others still hold the flow's default: nothing to store
            .Select(m => (m.Name, Value: run.Artifacts.Codec.Encode(run.FlowName, step.Name, m.Name, m.GetValue(instance))))
            .Where(a => spec.Parents.Count == 0 || inherited?.ContainsKey(a.Name) == true || merged.Contains(a.Name)
                || RunContext.HashOf(a.Value) != run.DefaultHashes[a.Name])
            .Concat(run.Effective.ParametersOf(run.FlowType).Where(p => run.Parameters.ContainsKey(p.PropertyName) && !files.ContainsKey(p.PropertyName)).Select(p => (Name: p.PropertyName, Value: run.Artifacts.Codec.Encode(
                run.FlowName, step.Name, p.PropertyName, p.Property is { } property ? property.GetValue(instance) : p.FromJson(run.Parameters[p.PropertyName])))))
            .ToArray();
        foreach (var (name, entry) in files)
        {
            carried[name] = entry;
        }
        foreach (var (name, _) in encoded)
        {
            carried.Remove(name);
        }
        return (encoded, carried);
    }

    /// <summary>
    /// The artifacts a task of a step with one parent loads and may store anew: those its code can touch, those spin
    /// overrides; null (all) for a step with cards, which show every artifact.
    /// </summary>
    private IReadOnlySet<string>? UsedArtifacts(TaskSpec spec)
    {
        if (spec.Parents.Count != 1 || spec.Step.IsJoin || run.Effective.DecoratorsOf(spec.Step.Name).OfType<CardAttribute>().Any()
            || StepArtifactUse.Of(run.FlowType, spec.Step) is not { } used)
        {
            return null;
        }
        return spec.Overrides.Count == 0 ? used : used.Union(spec.Overrides.Select(o => o.Key)).ToHashSet(StringComparer.Ordinal);
    }

    private object CreateInputs(StepNode step, IReadOnlyList<TaskOutcome> parents)
    {
        var sources = new JoinSources(parents, run.Artifacts, () =>
        {
            var input = run.CreateInstance();
            RunInputBinder.ApplyAsync(run, input).GetAwaiter().GetResult(); // JoinSources makes inputs on demand, synchronously
            return input;
        }, StepArtifactUse.Of(run.FlowType, step), run.Cancellation);
        var inputsType = step.Method.GetParameters()[0].ParameterType;
        return Activator.CreateInstance(inputsType, BindingFlags.NonPublic | BindingFlags.Instance, null, [sources], CultureInfo.InvariantCulture)!;
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

    private (IReadOnlyList<ForeachItem> ForeachItems, string? ChosenStep) EvaluateTransition(StepNode step, FlowSpec instance, StepTransition? transition)
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
                return (items.Select((v, i) => ForeachItem.Of(run.Artifacts.Codec.Encode(run.FlowName, step.Name, $"{variable}[{i}]", v))).ToArray(), null);
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
