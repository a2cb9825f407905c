using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Sharpflow.Datastore;
using Sharpflow.Events;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Runs one attempt of a task in a child process started from the flow's own command line (<c>step</c> command), relays
/// its events, and reads its outcome from the datastore. A child that dies before finishing fails the attempt.
/// </summary>
internal sealed class ProcessAttemptRunner(RunContext run, ITaskLauncher launcher, IReadOnlyList<string>? workerCommand = null)
{
    /// <summary>Grace beyond a step's [Timeout] before the child is killed (the child enforces the timeout itself first).</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(30);

    public async Task<TaskOutcome> RunAsync(TaskSpec spec, int attempt, bool last, TimeSpan? timeout)
    {
        var command = workerCommand ?? (run.Options.TaskCommand is { Count: > 0 } c ? c : throw new InvalidOperationException(
            $"Flow '{run.FlowName}': process isolation starts each task from the flow's command line; run the flow through its CLI (FlowMain) or set RunnerOptions.TaskCommand."));
        // The child opens the same datastore by its root: a local folder or an s3:// location (not an in-memory store).
        var root = run.Metadata.Store is LocalBlobStore local ? local.Location
            : S3Location.IsS3(run.Metadata.Store.Location) ? run.Metadata.Store.Location
            : throw new InvalidOperationException(
                $"Flow '{run.FlowName}': process isolation needs a datastore other processes can open (a folder or s3://...); '{run.Metadata.Store.Location}' is not one.");
        var specFile = Path.Combine(launcher.SpecDirectory, $"sharpflow-task-{run.RunId}-{spec.TaskId}-{attempt}-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(specFile, MetadataJson.Serialize(new IsolatedTaskSpec(
            run.RunId, spec.Step.Name, spec.TaskId,
            spec.Parents.Select(p => $"{p.Record.StepName}/{p.Record.TaskId}").ToArray(),
            spec.Splits, spec.SplitItems.Select(IsolatedItem.From).ToArray(),
            spec.Iteration, attempt, last, run.Options.MaxNumSplits, run.Options.Namespace, run.User))).ConfigureAwait(false);
        try
        {
            var stdout = new StringBuilder();
            var (exitCode, stderr) = await launcher.LaunchAsync([.. command, "step", "--spec", specFile, "--datastore", root], spec, attempt, timeout + KillGrace, line => Relay(line, stdout)).ConfigureAwait(false);
            return await OutcomeAsync(spec, attempt, exitCode, stdout.ToString(), stderr).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(specFile);
        }
    }

    /// <summary>Publishes a child's event line as this run's event; keeps the text of its log lines for a crash report.</summary>
    private void Relay(string line, StringBuilder stdout)
    {
        RunEvent? runEvent = null;
        if (line.StartsWith("{\"event\":", StringComparison.Ordinal))
        {
            try
            {
                runEvent = JsonSerializer.Deserialize<RunEvent>(line, MetadataJson.Options);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                runEvent = null;
            }
        }
        if (runEvent is null)
        {
            stdout.AppendLine(line); // not an event: output of the process outside any task
        }
        if (runEvent is not null)
        {
            if (runEvent is LogLine { Stream: "stdout" } log)
            {
                stdout.AppendLine(log.Text);
            }
            run.Publish(runEvent);
        }
    }

    private async Task<TaskOutcome> OutcomeAsync(TaskSpec spec, int attempt, int exitCode, string stdout, string stderr)
    {
        var record = (await run.Metadata.ReadTasksAsync(run.FlowName, run.RunId, [(spec.Step.Name, spec.TaskId)], CancellationToken.None).ConfigureAwait(false))[0];
        if (record is { Status: not RunStatus.Running } && record.Attempt == attempt)
        {
            var index = record.Status == RunStatus.Succeeded
                ? (await run.Metadata.ReadArtifactIndexesAsync([record], CancellationToken.None).ConfigureAwait(false))[0]
                : null;
            return await StoredOutcome.ForAsync(run, spec, record, index ?? new ArtifactIndex(new Dictionary<string, ArtifactEntry>()), cloned: false).ConfigureAwait(false);
        }

        var tail = string.Join('\n', stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(10));
        var crashed = (record ?? new TaskRecord { FlowName = run.FlowName, RunId = run.RunId, StepName = spec.Step.Name, TaskId = spec.TaskId, StartedAt = DateTimeOffset.UtcNow }) with
        {
            Status = run.Cancellation.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed,
            Attempt = attempt,
            FinishedAt = DateTimeOffset.UtcNow,
            Exception = new ExceptionRecord("Sharpflow.TaskProcessExited",
                $"The process running flow '{run.FlowName}', step '{spec.Step.Name}', task {spec.TaskId} exited with code {exitCode} before the task finished (a crash or Environment.Exit).{(tail.Length > 0 ? $" Its stderr ended with: {tail}" : "")}",
                ""),
        };
        await run.Metadata.WriteTaskResultAsync(crashed, null, stdout, stderr, CancellationToken.None).ConfigureAwait(false);
        run.Publish(new TaskFailed(run.FlowName, run.RunId, crashed.FinishedAt!.Value, spec.Step.Name, spec.TaskId, attempt, crashed.FinishedAt.Value - crashed.StartedAt, crashed.Exception));
        return new TaskOutcome(spec, crashed, new ArtifactIndex(new Dictionary<string, ArtifactEntry>()));
    }
}
