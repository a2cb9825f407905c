using System.Collections.Concurrent;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Keeps a run this process owns honest about the process: refreshes the run's heartbeat while it runs (so a run whose
/// process died shows as <see cref="RunStatus.Crashed"/>), and when the process exits before the run finished
/// (<c>Environment.Exit</c> in an in-process step, a host shutting down) records the running tasks and the run as failed,
/// saying why and keeping what the tasks printed.
/// It also writes the records of the tasks still running, every <see cref="RunningRecordsEvery"/>: a task that ends
/// sooner leaves only its final record (one write per task instead of two; on a local disk the running record's
/// replacement also cost the file system a freed inode per task).
/// </summary>
internal sealed class RunLifetime : IAsyncDisposable
{
    /// <summary>How often the records of tasks still running are written by default (other processes see a task from then on).</summary>
    public static readonly TimeSpan RunningRecordsEvery = TimeSpan.FromMilliseconds(500);

    private readonly RunContext _context;
    private readonly ConcurrentDictionary<string, RunningTask> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _beats = new(RunOwner.HeartbeatInterval);
    private readonly PeriodicTimer _runningTicks;
    private readonly Task _heartbeat;
    private readonly Task _runningRecords;
    private readonly Lock _lock = new();
    private RunRecord _record;
    private bool _ended;

    private RunLifetime(RunContext context, RunRecord record)
    {
        _context = context;
        _record = record;
        _runningTicks = new PeriodicTimer(context.Options.RunningRecordsEvery);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        _heartbeat = BeatAsync();
        _runningRecords = RecordRunningTasksAsync();
    }

    /// <summary>Starts watching over the run whose record is <paramref name="record"/> (the record it was created with).</summary>
    public static RunLifetime Start(RunContext context, RunRecord record) => new(context, record);

    /// <summary>A task attempt started in this process: its running record is written if it still runs at the next tick.</summary>
    public void TaskStarted(TaskRecord record, TaskLog log) => _running[Key(record)] = new RunningTask(record, log);

    /// <summary>
    /// A task attempt is about to write its final record: its running record is no longer written, and one being written
    /// is finished first (so it can never replace the final one).
    /// </summary>
    public Task TaskEndingAsync(TaskRecord record) => _running.TryGetValue(Key(record), out var task) ? task.EndAsync() : Task.CompletedTask;

    /// <summary>A task attempt's outcome is recorded.</summary>
    public void TaskEnded(TaskRecord record) => _running.TryRemove(Key(record), out _);

    /// <summary>Writes the run's final record; from then on an exit of the process changes nothing.</summary>
    public async Task EndAsync(RunRecord final)
    {
        await _context.Metadata.WriteRunAsync(final, CancellationToken.None).ConfigureAwait(false);
        lock (_lock)
        {
            _record = final;
            _ended = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _beats.Dispose(); // ends the wait for the next beat (no exception thrown)
        _runningTicks.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false); // and a beat being written
        try
        {
            await _heartbeat.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        await _runningRecords.ConfigureAwait(false); // never faults: each write reports its own failure
        _stop.Dispose();
    }

    private async Task RecordRunningTasksAsync()
    {
        while (await _runningTicks.WaitForNextTickAsync().ConfigureAwait(false))
        {
            await Task.WhenAll(_running.Values.Select(task => task.Record(WriteRunningAsync))).ConfigureAwait(false);
        }
    }

    private async Task WriteRunningAsync(TaskRecord record)
    {
        try
        {
            await _context.Metadata.WriteTaskAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Reported, not fatal: the task's final record is written when it ends (and fails the task if it cannot be).
            TaskOutputCapture.OriginalError.WriteLine($"warning: run {_context.FlowName}/{_context.RunId}: the running record of task {Key(record)} could not be written: {e.Message}");
        }
    }

    private async Task BeatAsync()
    {
        while (await _beats.WaitForNextTickAsync().ConfigureAwait(false))
        {
            try
            {
                await _context.Metadata.WriteHeartbeatAsync(_record, DateTimeOffset.UtcNow, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // Reported, not fatal: the next beat may get through, and a run is shown as crashed only after several missed beats.
                TaskOutputCapture.OriginalError.WriteLine($"warning: run {_context.FlowName}/{_context.RunId}: its heartbeat could not be written: {e.Message}");
            }
        }
    }

    /// <summary>The process is exiting with the run unfinished: record what the exit cut short, as far as it still can.</summary>
    private void OnProcessExit(object? sender, EventArgs e)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }
            _ended = true;
        }
        var cut = _running.Values.OrderBy(t => t.Started.StartedAt).ToArray();
        var why = $"The process exited (exit code {Environment.ExitCode}) while this task was running";
        var advice = "Tasks run in the flow's process by default, so Environment.Exit in a step ends the whole run; "
            + "run with --isolation process to give each task its own process, or throw an exception instead.";
        foreach (var task in cut)
        {
            task.EndAsync().GetAwaiter().GetResult();
            var (record, log) = (task.Started, task.Log);
            log.Flush();
            var failed = record with
            {
                Status = RunStatus.Failed,
                FinishedAt = DateTimeOffset.UtcNow,
                Exception = new ExceptionRecord("ProcessExit", $"{why}. {advice}", ""),
            };
            _context.Metadata.WriteTaskResultAsync(failed, null, log.Stdout, log.Stderr, CancellationToken.None).GetAwaiter().GetResult();
        }
        var first = cut.FirstOrDefault()?.Started;
        _context.Metadata.WriteRunAsync(_record with
        {
            Status = RunStatus.Failed,
            FinishedAt = DateTimeOffset.UtcNow,
            Error = first is null
                ? $"The process exited (exit code {Environment.ExitCode}) before run {_context.RunId} finished."
                : $"The process exited (exit code {Environment.ExitCode}) while step '{first.StepName}' task {first.TaskId} was running. {advice}",
            FailedTask = first is null ? null : $"{first.StepName}/{first.TaskId}",
        }, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static string Key(TaskRecord record) => $"{record.StepName}/{record.TaskId}";

    /// <summary>A task attempt running in this process, and whether its running record was written (or is being written).</summary>
    private sealed class RunningTask(TaskRecord started, TaskLog log)
    {
        private readonly Lock _lock = new();
        private Task? _recorded;
        private bool _ended;

        public TaskRecord Started => started;

        public TaskLog Log => log;

        /// <summary>Writes the running record once, unless the attempt is ending.</summary>
        public Task Record(Func<TaskRecord, Task> write)
        {
            lock (_lock)
            {
                if (_ended || _recorded is not null)
                {
                    return Task.CompletedTask;
                }
                return _recorded = write(started);
            }
        }

        /// <summary>No running record from now on; the one being written, if any, is finished when this is.</summary>
        public Task EndAsync()
        {
            lock (_lock)
            {
                _ended = true;
                return _recorded ?? Task.CompletedTask;
            }
        }
    }
}
