namespace Sharpflow.Events;

/// <summary>How many tasks of each step are running, done and failed, kept up to date from a run's events (for live views).</summary>
public sealed class StepProgress
{
    private readonly Dictionary<string, (int Running, int Done, int Failed)> _steps = new(StringComparer.Ordinal);

    /// <summary>The counts per step, in the order steps first appeared.</summary>
    public IReadOnlyDictionary<string, (int Running, int Done, int Failed)> Steps => _steps;

    /// <summary>Takes one event into account; events that do not change the counts are ignored.</summary>
    public void Apply(RunEvent runEvent)
    {
        switch (runEvent)
        {
            case TaskStarted task:
                Count(task.Step, running: 1);
                break;
            case TaskFinished task:
                Count(task.Step, running: -1, done: 1);
                break;
            case TaskCloned task:
                Count(task.Step, done: 1);
                break;
            case TaskFailed task:
                Count(task.Step, running: -1, failed: 1);
                break;
        }
    }

    /// <summary>Sets a step's counts to what a finished run stored (none running).</summary>
    public void Record(string step, int done, int failed) => _steps[step] = (0, done, failed);

    /// <summary>A status word for a step: pending, running, failed or succeeded.</summary>
    public string StatusOf(string step) => _steps.TryGetValue(step, out var s)
        ? s.Failed > 0 ? "failed" : s.Running > 0 ? "running" : "succeeded"
        : "pending";

    private void Count(string step, int running = 0, int done = 0, int failed = 0)
    {
        var (r, d, f) = _steps.GetValueOrDefault(step);
        _steps[step] = (r + running, d + done, f + failed);
    }
}
