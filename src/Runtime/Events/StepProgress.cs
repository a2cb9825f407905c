namespace Sharpflow.Events;

/// <summary>
/// How many tasks of each step are running, done and failed, kept up to date from a run's events (for live views).
/// Each task counts once, by where it stands now: an attempt that failed and was retried is running again, and a
/// failure that [Catch] turned into an artifact is done.
/// </summary>
public sealed class StepProgress
{
    private enum State
    {
        Running,
        Done,
        Failed,
    }

    private readonly Dictionary<string, Dictionary<string, State>> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Running, int Done, int Failed)> _recorded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _queued = new(StringComparer.Ordinal);

    /// <summary>The counts per step, in the order steps first appeared (queued or started).</summary>
    public IReadOnlyDictionary<string, (int Running, int Done, int Failed)> Steps =>
        _queued.Keys.Union(_tasks.Keys).Union(_recorded.Keys).ToDictionary(step => step, Count, StringComparer.Ordinal);

    /// <summary>How many tasks the step has so far: those queued (a foreach's whole width), at least those seen.</summary>
    public int TotalOf(string step)
    {
        var (running, done, failed) = Count(step);
        return Math.Max(_queued.GetValueOrDefault(step), running + done + failed);
    }

    /// <summary>Takes one event into account; events that do not change the counts are ignored.</summary>
    public void Apply(RunEvent runEvent)
    {
        switch (runEvent)
        {
            case TasksQueued queued:
                _queued[queued.Step] = _queued.GetValueOrDefault(queued.Step) + queued.Count;
                break;
            case TaskStarted task:
                Set(task.Step, task.TaskId, State.Running);
                break;
            case TaskFinished task:
                Set(task.Step, task.TaskId, State.Done);
                break;
            case TaskCloned task:
                Set(task.Step, task.TaskId, State.Done);
                break;
            case TaskFailed task:
                Set(task.Step, task.TaskId, State.Failed);
                break;
        }
    }

    /// <summary>Sets a step's counts to what a finished run stored (none running).</summary>
    public void Record(string step, int done, int failed)
    {
        _tasks.Remove(step);
        _queued.Remove(step);
        _recorded[step] = (0, done, failed);
    }

    /// <summary>A status word for a step: pending, running, failed or succeeded.</summary>
    public string StatusOf(string step) => _tasks.ContainsKey(step) || _recorded.ContainsKey(step)
        ? Count(step) is var s && s.Failed > 0 ? "failed" : s.Running > 0 || s.Done < TotalOf(step) ? "running" : "succeeded"
        : "pending";

    private (int Running, int Done, int Failed) Count(string step) =>
        _tasks.TryGetValue(step, out var tasks)
            ? (tasks.Values.Count(s => s == State.Running), tasks.Values.Count(s => s == State.Done), tasks.Values.Count(s => s == State.Failed))
            : _recorded.GetValueOrDefault(step);

    private void Set(string step, string task, State state)
    {
        _recorded.Remove(step);
        (_tasks.TryGetValue(step, out var tasks) ? tasks : _tasks[step] = new(StringComparer.Ordinal))[task] = state;
    }
}
