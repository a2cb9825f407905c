using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Runs a flow's tasks in this process: a ready queue, at most <see cref="RunnerOptions.MaxWorkers"/> tasks at once,
/// foreach fan-out, joins that wait for every branch of their split, and switch loops bounded per run. A foreach that fans
/// out to a step on an <see cref="Compute.IArrayComputeBackend"/> starts all its tasks at once, outside that bound: their
/// first attempts go as one array job, which the backend's scheduler throttles.
/// </summary>
internal sealed class LocalScheduler(RunContext run)
{
    private readonly TaskRunner _runner = new(run);
    private readonly TaskCloner? _cloner = run.Resume is { } plan ? new TaskCloner(run, plan) : null;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskFingerprintRecord> _fingerprints = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _unfingerprinted = new(StringComparer.Ordinal);
    private readonly TaskFingerprint _fingerprint = new(run);
    private TaskReuse? _reuse;
    private readonly Queue<TaskSpec> _ready = new();
    private readonly Queue<TaskSpec> _readyArrayMembers = new();
    private readonly Dictionary<string, JoinArrivals> _joinArrivals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Compute.IArrayComputeBackend?> _arrayBackends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _visits = new(StringComparer.Ordinal);
    private readonly string? _stopAfter = run.Options.StopAfter is { } last ? run.Graph[last].Name : null;
    private readonly IReadOnlySet<string>? _partial = run.Options.StopAfter is { } step
        ? new HashSet<string>(run.Graph.Ancestors(run.Graph[step].Name).Append(run.Graph[step].Name), StringComparer.Ordinal)
        : null;
    private int _nextTaskId;

    /// <summary>The first task that failed, or null.</summary>
    public TaskOutcome? FirstFailure { get; private set; }

    /// <summary>A failure of the scheduler itself (a loop bound hit), or null.</summary>
    public string? SchedulerError { get; private set; }

    /// <summary>The fingerprints of the run's steps and successful tasks, for later runs with reuse.</summary>
    public RunFingerprints Fingerprints => new(
        _fingerprints.Values.Select(t => t.Step).Distinct(StringComparer.Ordinal).ToDictionary(s => s, s => StepCode.Of(run.FlowType, run.Graph[s]).Hash, StringComparer.Ordinal),
        new SortedDictionary<string, TaskFingerprintRecord>(_fingerprints, StringComparer.Ordinal));

    public async Task<RunStatus> ExecuteAsync()
    {
        // Every task's fingerprint needs its step's code hash: the steps' code is read on another core while the run starts.
        _ = Task.Run(ReadStepCodesAhead);
        _reuse = run.Options.Reuse ? await TaskReuse.LoadAsync(run, _fingerprint, run.Cancellation).ConfigureAwait(false) : null;
        var start = run.Graph.StartStep!;
        _ready.Enqueue(new TaskSpec(start, NextTaskId(), [], [], []));
        Announce(start.Name, 1);
        var running = new List<Task<TaskOutcome>>();
        var arrayMembersRunning = new HashSet<Task<TaskOutcome>>();
        var workers = Math.Max(1, run.Options.MaxWorkers);
        while (_ready.Count > 0 || _readyArrayMembers.Count > 0 || running.Count > 0)
        {
            while (_readyArrayMembers.TryDequeue(out var member))
            {
                if (Healthy)
                {
                    var task = Task.Run(() => RunOrCloneAsync(member));
                    running.Add(task);
                    arrayMembersRunning.Add(task);
                }
                else
                {
                    member.ArrayMember!.Launch.Withdraw(member.ArrayMember.Index); // its siblings already launched must not wait for it
                }
            }
            while (Healthy && _ready.Count > 0 && running.Count - arrayMembersRunning.Count < workers)
            {
                var spec = _ready.Dequeue();
                running.Add(Task.Run(() => RunOrCloneAsync(spec)));
            }
            if (running.Count == 0)
            {
                break;
            }
            var done = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(done);
            arrayMembersRunning.Remove(done);
            var outcome = await done.ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                FirstFailure ??= outcome;
                continue;
            }
            if (Healthy)
            {
                Schedule(outcome);
            }
        }
        return run.Cancellation.IsCancellationRequested ? RunStatus.Cancelled
            : FirstFailure is not null || SchedulerError is not null ? RunStatus.Failed
            : RunStatus.Succeeded;
    }

    /// <summary>Runs or clones a task; anything that escapes (a datastore error, a cancelled retry wait) fails the task, never the scheduler.</summary>
    private async Task<TaskOutcome> RunOrCloneAsync(TaskSpec spec)
    {
        try
        {
            if (_cloner is not null && await _cloner.TryCloneAsync(spec).ConfigureAwait(false) is { } cloned)
            {
                // A resume clone did what the origin task did: it carries the origin's fingerprint (the current code may differ).
                if (run.Resume!.Fingerprints.TryGetValue(cloned.Record.Origin!, out var originFingerprint))
                {
                    _fingerprints[spec.Identity] = FingerprintRecord(originFingerprint, cloned);
                }
                return cloned;
            }
            var fingerprint = FingerprintOf(spec);
            var outcome = (_reuse is not null && fingerprint is not null ? await _reuse.TryReuseAsync(spec, fingerprint).ConfigureAwait(false) : null)
                ?? await _runner.RunAsync(spec).ConfigureAwait(false);
            if (outcome.Succeeded && fingerprint is not null)
            {
                _fingerprints[spec.Identity] = FingerprintRecord(fingerprint, outcome);
            }
            return outcome;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var record = new TaskRecord
            {
                FlowName = run.FlowName,
                RunId = run.RunId,
                StepName = spec.Step.Name,
                TaskId = spec.TaskId,
                Status = e is OperationCanceledException && run.Cancellation.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed,
                StartedAt = DateTimeOffset.UtcNow,
                FinishedAt = DateTimeOffset.UtcNow,
                Splits = spec.Splits,
                Iteration = spec.Iteration,
                Exception = ExceptionRecord.From(e),
            };
            if (run.Lifetime is { } lifetime)
            {
                await lifetime.TaskEndingAsync(record).ConfigureAwait(false); // a running record cannot come after this one
            }
            try
            {
                await run.Metadata.WriteTaskResultAsync(record, null, "", "", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception writeError) when (writeError is IOException or UnauthorizedAccessException)
            {
                record = record with { Exception = record.Exception! with { Message = $"{record.Exception.Message} (and its record could not be written: {writeError.Message})" } };
            }
            run.Lifetime?.TaskEnded(record);
            return new TaskOutcome(spec, record, new ArtifactIndex(new Dictionary<string, ArtifactEntry>()));
        }
        finally
        {
            spec.ArrayMember?.Launch.Withdraw(spec.ArrayMember.Index); // cloned, or failed before it launched: its siblings go without it
        }
    }

    /// <summary>What a later run with reuse needs of a successful task: its fingerprint, place, and a foreach split's item hashes.</summary>
    private static TaskFingerprintRecord FingerprintRecord(string fingerprint, TaskOutcome outcome) =>
        new(fingerprint, outcome.Spec.Step.Name, outcome.Spec.TaskId) { Items = outcome.ForeachItems.Count > 0 ? outcome.ForeachItems.Select(i => i.Hash).ToArray() : null };

    /// <summary>
    /// The task's fingerprint, or null when it has none ([Reuse(false)]) or its code could not be read: then it runs,
    /// is never reused, and the step's first such task says why on stderr.
    /// </summary>
    private string? FingerprintOf(TaskSpec spec)
    {
        try
        {
            return _fingerprint.Of(spec);
        }
        catch (Exception e) when (StepCode.IsUnreadable(e))
        {
            if (_unfingerprinted.TryAdd(spec.Step.Name, true))
            {
                Console.Error.WriteLine($"warning: Flow '{run.FlowName}', step '{spec.Step.Name}': its code could not be read for reuse ({e.GetType().Name}: {e.Message}); its tasks run and are not offered for reuse.");
            }
            return null;
        }
    }

    /// <summary>
    /// Reads the code hash of every step ahead of its first task. A step whose code cannot be read is reported by
    /// <see cref="FingerprintOf"/> when its first task asks (<see cref="StepCode.Of"/> keeps the failure), not here.
    /// </summary>
    private void ReadStepCodesAhead()
    {
        foreach (var step in run.Graph.InRunOrder)
        {
            if (run.Cancellation.IsCancellationRequested)
            {
                return;
            }
            try
            {
                StepCode.Of(run.FlowType, step);
            }
            catch (Exception e) when (StepCode.IsUnreadable(e))
            {
                // Reported by FingerprintOf for the step's first task: the same exception comes back from StepCode.Of.
            }
        }
    }

    private bool Healthy => FirstFailure is null && SchedulerError is null && !run.Cancellation.IsCancellationRequested;

    private string NextTaskId() => Interlocked.Increment(ref _nextTaskId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Schedule(TaskOutcome parent)
    {
        var record = parent.Record;
        if (record.Transition is not { } transition)
        {
            return;
        }
        var splits = record.Splits;
        var splitItems = parent.Spec.SplitItems;
        switch (transition.Kind)
        {
            case TransitionKind.Branch:
                for (var i = 0; i < transition.Targets.Count; i++)
                {
                    Enqueue(transition.Targets[i], parent, [.. splits, new SplitFrame(record.StepName, record.TaskId, TransitionKind.Branch, i, transition.Targets.Count, null) { SplitIteration = record.Iteration }], [.. splitItems, null]);
                }
                break;
            case TransitionKind.Foreach:
                var items = parent.ForeachItems;
                var array = ArrayBackendOf(transition.Targets[0]) is { } backend && items.Count > 0
                    ? new TaskArrayLaunch(backend, items.Count, run.Options.MaxWorkers, run.Cancellation)
                    : null;
                var queued = 0;
                for (var i = 0; i < items.Count; i++)
                {
                    var member = array is null ? null : new TaskArrayMember(array, i);
                    if (Enqueue(transition.Targets[0], parent, [.. splits, new SplitFrame(record.StepName, record.TaskId, TransitionKind.Foreach, i, items.Count, transition.ForeachVariable) { SplitIteration = record.Iteration }], [.. splitItems, items[i]], member, announce: false))
                    {
                        queued++;
                    }
                    else
                    {
                        array?.Withdraw(i);
                    }
                }
                Announce(transition.Targets[0], queued);
                break;
            case TransitionKind.Switch:
                Enqueue(parent.ChosenStep!, parent, splits, splitItems);
                break;
            default:
                Enqueue(transition.Targets[0], parent, splits, splitItems);
                break;
        }
    }

    /// <summary>The array backend a step's tasks run on, or null when they launch one by one (here, or on a backend without arrays).</summary>
    private Compute.IArrayComputeBackend? ArrayBackendOf(string stepName)
    {
        if (_arrayBackends.TryGetValue(stepName, out var known))
        {
            return known;
        }
        Compute.IArrayComputeBackend? backend;
        try
        {
            var choice = run.Graph.Find(stepName)!.IsJoin ? null : Compute.ComputeChoice.For(StepPolicy.For(run.Effective.DecoratorsOf(stepName)), run.Options);
            backend = choice is { Backend: Compute.IArrayComputeBackend array } && array.LaunchesAsArray(choice.Value.Attribute) ? array : null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            backend = null; // a backend that is not there, or bad settings: each task reports that error as its own failure when it runs
        }
        return _arrayBackends[stepName] = backend;
    }

    /// <summary>Queues the next task, or a join's arrival; false when a partial run leaves the step out or a loop bound stops it.</summary>
    private bool Enqueue(string stepName, TaskOutcome parent, IReadOnlyList<SplitFrame> splits, IReadOnlyList<ForeachItem?> splitItems, TaskArrayMember? arrayMember = null, bool announce = true)
    {
        if (_partial is { } needed && (parent.Record.StepName == _stopAfter || !needed.Contains(stepName)))
        {
            return false; // a partial run: nothing after its last step, nothing off the way to it
        }
        var step = run.Graph.Find(stepName)!;
        if (!step.IsJoin)
        {
            var loopKey = stepName + "@" + string.Join("/", splits.Select(s => $"{s.SplitTaskId}:{s.Index}"));
            var visits = _visits[loopKey] = _visits.GetValueOrDefault(loopKey) + 1;
            if (visits > run.Options.MaxLoopIterations)
            {
                SchedulerError = $"Flow '{run.FlowName}', step '{stepName}' was entered {visits} times in one run (from task {parent.Record.StepName}/{parent.Record.TaskId}), "
                    + $"more than the loop bound of {run.Options.MaxLoopIterations}. Check the switch that loops back, or raise --max-loop-iterations.";
                return false;
            }
            var spec = new TaskSpec(step, NextTaskId(), [parent], splits, splitItems) { Iteration = visits - 1, ArrayMember = arrayMember };
            (arrayMember is null ? _ready : _readyArrayMembers).Enqueue(spec);
            if (announce)
            {
                Announce(stepName, 1);
            }
            return true;
        }

        var top = splits[^1];
        var joinKey = $"{stepName}@{SplitKey(splits)}";
        if (!_joinArrivals.TryGetValue(joinKey, out var arrivals))
        {
            _joinArrivals[joinKey] = arrivals = new JoinArrivals(new TaskOutcome?[top.Count]);
        }
        if (arrivals.Inputs[top.Index] is null)
        {
            arrivals.Count++;
        }
        arrivals.Inputs[top.Index] = parent;
        if (arrivals.Count == arrivals.Inputs.Length)
        {
            _joinArrivals.Remove(joinKey);
            var outer = splits.Take(splits.Count - 1).ToArray();
            var visitKey = stepName + "@" + string.Join("/", outer.Select(s => $"{s.SplitTaskId}:{s.Index}"));
            var visits = _visits[visitKey] = _visits.GetValueOrDefault(visitKey) + 1;
            _ready.Enqueue(new TaskSpec(step, NextTaskId(), arrivals.Inputs!, outer, splitItems.Take(splitItems.Count - 1).ToArray()) { Iteration = visits - 1 });
            Announce(stepName, 1);
        }
        return true;
    }

    /// <summary>Tells live views how many more tasks of a step are queued (one event for a whole foreach).</summary>
    private void Announce(string step, int count)
    {
        if (count > 0)
        {
            run.Publish(new Events.TasksQueued(run.FlowName, run.RunId, DateTimeOffset.UtcNow, step, count));
        }
    }

    /// <summary>The inputs of a join that have arrived so far (by split index), and how many.</summary>
    private sealed class JoinArrivals(TaskOutcome?[] inputs)
    {
        public TaskOutcome?[] Inputs { get; } = inputs;

        public int Count { get; set; }
    }

    /// <summary>Identifies the split a task belongs to: the split tasks (and outer branch indices) around it.</summary>
    private static string SplitKey(IReadOnlyList<SplitFrame> splits) =>
        string.Join("/", splits.Select((s, i) => i == splits.Count - 1 ? s.SplitTaskId : $"{s.SplitTaskId}:{s.Index}"));
}
