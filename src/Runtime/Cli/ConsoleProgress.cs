using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Sharpflow.Events;
using Sharpflow.Metadata;

namespace Sharpflow.Cli;

/// <summary>
/// Shows a run on the terminal as its events arrive: task starts and ends and their output prefixed by
/// <c>[run/step/task]</c>, a progress line per step (done / running / failed, elapsed) every two seconds, and the outcome.
/// Events are queued and printed by one background printer, so a task thread that reports a log line (while it holds
/// the console's own lock) never waits for the terminal.
/// </summary>
internal sealed class ConsoleProgress : IAsyncDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _quiet;
    private readonly string? _runIdFile;
    private readonly Channel<RunEvent?> _events = Channel.CreateUnbounded<RunEvent?>(new UnboundedChannelOptions { SingleReader = true }); // null: print progress
    private readonly StepProgress _progress = new();
    private readonly HashSet<string> _failedAttempts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reused = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = new();
    private readonly Timer _timer;
    private readonly Task _printer;
    private readonly string _resumeCommand;
    private string _runId = "";

    /// <param name="writer">Where the lines go.</param>
    /// <param name="quiet">Only failures and the outcome.</param>
    /// <param name="runIdFile">A file to write the run id to as soon as it is known, or null.</param>
    /// <param name="resumeCommand">How to type this flow's <c>resume</c> command, for the last line of a run that did not succeed.</param>
    public ConsoleProgress(TextWriter writer, bool quiet, string? runIdFile, string resumeCommand = "resume")
    {
        _writer = writer;
        _resumeCommand = resumeCommand;
        _quiet = quiet;
        _runIdFile = runIdFile;
        _timer = new Timer(_ => _events.Writer.TryWrite(null), null, Timeout.Infinite, Timeout.Infinite);
        _printer = Task.Run(PrintAsync);
    }

    /// <summary>Queues an event for printing; never blocks.</summary>
    public void Handle(RunEvent e)
    {
        if (e is RunStarted)
        {
            _timer.Change(2000, 2000);
        }
        else if (e is RunFinished)
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
        }
        _events.Writer.TryWrite(e);
    }

    /// <summary>Prints what is still queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        _events.Writer.TryComplete();
        await _printer.ConfigureAwait(false);
    }

    private async Task PrintAsync()
    {
        await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (e is null)
            {
                PrintProgress();
            }
            else
            {
                Print(e);
            }
        }
    }

    private void Print(RunEvent e)
    {
        _progress.Apply(e);
        switch (e)
        {
            case RunStarted started:
                _runId = started.RunId;
                _clock.Start();
                if (_runIdFile is not null)
                {
                    File.WriteAllText(_runIdFile, started.RunId);
                }
                Line($"Workflow {started.FlowName} starting (run-id {started.RunId}), datastore {started.Datastore}");
                break;
            case TaskStarted task:
                if (!_quiet)
                {
                    Line($"[{_runId}/{task.Step}/{task.TaskId}{ForeachSuffix(task.ForeachIndexPath)}] "
                        + (task.Attempt == 0 ? "Task is starting." : $"Task is starting again (attempt {task.Attempt + 1})."));
                }
                break;
            case TaskFinished task:
                var caught = _failedAttempts.Remove($"{task.Step}/{task.TaskId}/{task.Attempt}");
                if (!_quiet || caught)
                {
                    Line($"[{_runId}/{task.Step}/{task.TaskId}] " + (caught
                        ? $"Task finished: its failure was caught ([Catch]) and stored as an artifact; the flow goes on."
                        : $"Task finished successfully ({Format(task.Duration)})."));
                }
                break;
            case TaskFailed task:
                _failedAttempts.Add($"{task.Step}/{task.TaskId}/{task.Attempt}");
                Line($"[{_runId}/{task.Step}/{task.TaskId}] Task failed (attempt {task.Attempt + 1}): {task.Exception.Type}: {task.Exception.Message}");
                Line(Indent(task.Exception.UserFrames.Length > 0 ? task.Exception.UserFrames : "(no frames of the flow's code; the full trace is in the task's log)"));
                break;
            case TaskCloned cloned:
                if (cloned.Reused)
                {
                    _reused[cloned.Step] = _reused.GetValueOrDefault(cloned.Step) + 1;
                }
                if (!_quiet)
                {
                    Line($"[{_runId}/{cloned.Step}/{cloned.TaskId}] " + (cloned.Reused ? $"Reused {cloned.Origin}: same code and inputs." : $"Cloned from {cloned.Origin}."));
                }
                break;
            case HookFinished hook:
                Line(hook.Exception is { } failure
                    ? $"Exit hook {hook.Hook} failed (the run's status is unchanged): {failure.Type}: {failure.Message}"
                    : $"Exit hook {hook.Hook} ran.");
                break;
            case LogLine log when !_quiet:
                Line($"[{_runId}/{log.Step}/{log.TaskId}]{log.Stream switch { "stderr" => " (stderr)", LogLine.StatusStream => " (status)", _ => "" }} {log.Text}");
                break;
            case RunFinished finished:
                PrintProgress();
                Line(finished.Status == RunStatus.Succeeded
                    ? $"Done! Run {finished.RunId} succeeded in {Format(finished.Duration)}."
                    : $"Run {finished.RunId} {finished.Status.ToString().ToLowerInvariant()} after {Format(finished.Duration)}. {finished.Error}");
                if (finished.Status != RunStatus.Succeeded)
                {
                    Line($"To run it again from where it stopped (after a fix; finished tasks are reused): {_resumeCommand} --origin-run-id {finished.RunId}");
                }
                break;
        }
    }

    private void PrintProgress()
    {
        if (_progress.Steps.Count == 0)
        {
            return;
        }
        var parts = _progress.Steps.Select(s => $"{s.Key} {s.Value.Done}/{_progress.TotalOf(s.Key)} done" + (s.Value.Running > 0 ? $", {s.Value.Running} running" : "")
            + (s.Value.Failed > 0 ? $", {s.Value.Failed} failed" : "") + (_reused.GetValueOrDefault(s.Key) is > 0 and var reused ? $" ({reused} reused)" : ""));
        Line($"Progress ({Format(_clock.Elapsed)}): {string.Join(" | ", parts)}");
    }

    private void Line(string text) => _writer.WriteLine($"{DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {text}");

    private static string ForeachSuffix(string path) => path.Length == 0 ? "" : $" (foreach {path})";

    private static string Indent(string text) => "    " + text.Replace("\n", "\n    ", StringComparison.Ordinal);

    private static string Format(TimeSpan duration) =>
        duration.TotalSeconds < 1 ? $"{duration.TotalMilliseconds:0} ms" : duration.TotalMinutes < 1 ? $"{duration.TotalSeconds:0.0} s" : $"{duration:h\\:mm\\:ss}";
}
