using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Sharpflow.Compute;
using Sharpflow.Datastore;
using Sharpflow.Events;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// Runs one attempt of a task through a compute backend: prepares the worker command for the backend's program (this
/// program again, the code package in a shared folder, or the package in the datastore) and the task's spec, lets the
/// backend run it (a child process, a Slurm job, a pod, ...), relays its events, and reads its outcome from the
/// datastore. A worker that dies before finishing fails the attempt.
/// </summary>
internal sealed class ProcessAttemptRunner(RunContext run, IComputeBackend backend, IComputeAttribute? attribute)
{
    /// <summary>Grace beyond a step's [Timeout] before the worker is stopped (the worker enforces the timeout itself first).</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(30);

    public async Task<TaskOutcome> RunAsync(TaskSpec spec, int attempt, bool last, StepPolicy policy)
    {
        // The worker opens the same datastore by its root: a local folder or a URI (not an in-memory store).
        var root = run.Metadata.Store is LocalBlobStore local ? local.Location
            : Datastore.DatastoreLocation.SchemeOf(run.Metadata.Store.Location) is not null ? run.Metadata.Store.Location
            : throw new InvalidOperationException(
                $"Flow '{run.FlowName}': a task in another process needs a datastore that process can open (a folder or a URI such as s3://...); '{run.Metadata.Store.Location}' is not one.");
        var (program, package) = await ProgramAsync().ConfigureAwait(false);
        var specFile = Path.Combine(backend.SpecDirectory(run.Options), $"sharpflow-task-{run.RunId}-{spec.TaskId}-{attempt}-{Guid.NewGuid():N}.json");
        var items = new IsolatedItem?[spec.SplitItems.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = spec.SplitItems[i] is { } item ? IsolatedItem.From(run.FlowName, spec.Step.Name, await item.ReadAsync().ConfigureAwait(false)) : null;
        }
        await File.WriteAllBytesAsync(specFile, MetadataJson.Serialize(new IsolatedTaskSpec(
            run.RunId, spec.Step.Name, spec.TaskId,
            spec.Parents.Select(p => $"{p.Record.StepName}/{p.Record.TaskId}").ToArray(),
            spec.Splits, items,
            spec.Iteration, attempt, last, run.Options.MaxNumSplits, run.Options.Namespace, run.User))).ConfigureAwait(false);
        try
        {
            var stdout = new StringBuilder();
            var taskAttempt = new TaskAttempt
            {
                FlowName = run.FlowName,
                RunId = run.RunId,
                Step = spec.Step.Name,
                TaskId = spec.TaskId,
                Attempt = attempt,
                ForeachIndexPath = string.Join('.', spec.Splits.Where(s => s.Kind == Graph.TransitionKind.Foreach).Select(s => s.Index)),
                Attribute = attribute,
                Resources = policy.Resources,
                Command = [.. program, "step", "--spec", specFile, "--datastore", root],
                Package = package,
                Datastore = run.Metadata.Store,
                Options = run.Options,
                Timeout = policy.Timeout,
                Deadline = policy.Timeout + KillGrace,
                OnStdoutLine = line => Relay(line, stdout),
                OnStatus = text => run.Publish(new LogLine(run.FlowName, run.RunId, DateTimeOffset.UtcNow, spec.Step.Name, spec.TaskId, LogLine.StatusStream, text)),
            };
            var (exitCode, stderr) = spec.ArrayMember is not { } member ? await backend.LaunchAsync(taskAttempt, run.Cancellation).ConfigureAwait(false)
                : attempt == 0 ? await member.Launch.LaunchAsync(member.Index, taskAttempt).ConfigureAwait(false)
                : await member.Launch.LaunchRetryAsync(taskAttempt).ConfigureAwait(false);
            return await OutcomeAsync(spec, attempt, exitCode, stdout.ToString(), stderr).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(specFile);
        }
    }

    /// <summary>The worker program for the backend, and the code package when the worker fetches it from the datastore.</summary>
    private async Task<(IReadOnlyList<string> Program, Packaging.CodePackageManifest? Package)> ProgramAsync()
    {
        switch (backend.Program)
        {
            case WorkerProgram.ThisProgram:
                return (run.Options.TaskCommand is { Count: > 0 } command ? command : throw new InvalidOperationException(
                    $"Flow '{run.FlowName}': a task in its own process starts from the flow's command line; run the flow through its CLI (FlowMain) or set RunnerOptions.TaskCommand."), null);
            case WorkerProgram.SharedFolder:
                return (await WorkerPackage.CommandAsync(run, SharedFolder.Of(run.Options)).ConfigureAwait(false), null);
            default:
                var stored = (await WorkerPackage.StoredAsync(run).ConfigureAwait(false)).Manifest;
                return (["dotnet", stored.EntryAssembly, .. stored.Arguments, .. WorkerPackage.Leading(run.Options.TaskCommand, stored)], stored);
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
                runEvent = JsonSerializer.Deserialize<RunEvent>(line, MetadataJson.Flexible);
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
