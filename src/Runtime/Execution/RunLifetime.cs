using System.Collections.Concurrent;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Keeps a run this process owns honest about the process: refreshes the run's heartbeat while it runs (so a run whose
/// process died shows as <see cref="RunStatus.Crashed"/>), and when the process exits before the run finished
/// (<c>Environment.Exit</c> in an in-process step, a host shutting down) records the running tasks and the run as failed,
/// saying why and keeping what the tasks printed.
/// </summary>
internal sealed class RunLifetime : IAsyncDisposable
{
    private readonly RunContext _context;
    private readonly ConcurrentDictionary<string, (TaskRecord Record, TaskLog Log)> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _beats = new(RunOwner.HeartbeatInterval);
    private readonly Task _heartbeat;
    private readonly Lock _lock = new();
    private RunRecord _record;
    private bool _ended;

    private RunLifetime(RunContext context, RunRecord record)
    {
        _context = context;
        _record = record;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        _heartbeat = BeatAsync();
    }

    /// <summary>Starts watching over the run whose record is <paramref name="record"/> (the record it was created with).</summary>
    public static RunLifetime Start(RunContext context, RunRecord record) => new(context, record);

    /// <summary>A task attempt started in this process.</summary>
    public void TaskStarted(TaskRecord record, TaskLog log) => _running[Key(record)] = (record, log);

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
        await _stop.CancelAsync().ConfigureAwait(false); // and a beat being written
        try
        {
            await _heartbeat.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        _stop.Dispose();
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
        var cut = _running.Values.OrderBy(t => t.Record.StartedAt).ToArray();
        var why = $"The process exited (exit code {Environment.ExitCode}) while this task was running";
        var advice = "Tasks run in the flow's process by default, so Environment.Exit in a step ends the whole run; "
            + "run with --isolation process to give each task its own process, or throw an exception instead.";
        foreach (var (record, log) in cut)
        {
            log.Flush();
            var failed = record with
            {
                Status = RunStatus.Failed,
                FinishedAt = DateTimeOffset.UtcNow,
                Exception = new ExceptionRecord("ProcessExit", $"{why}. {advice}", ""),
            };
            _context.Metadata.WriteTaskResultAsync(failed, null, log.Stdout, log.Stderr, CancellationToken.None).GetAwaiter().GetResult();
        }
        var first = cut.FirstOrDefault().Record;
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
}
