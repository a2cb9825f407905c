using System.Text;
using Sharpflow.Compute;
using Sharpflow.Execution;

namespace Sharpflow.Slurm;

/// <summary>
/// Runs a task attempt as a Slurm batch job: writes a batch script (resources as <c>#SBATCH</c> lines: <c>--gres=gpu:N</c>,
/// <c>--cpus-per-task</c>, <c>--mem</c>, partition, account, time limit), submits it with <c>sbatch</c>, streams the job's
/// output file back line by line while <c>scontrol show job</c> shows it pending or running, reads its exit code from
/// there, and cancels it with <c>scancel</c> when the run is cancelled or the step times out. The
/// tasks a foreach fans out to the step go as one job array (<see cref="SlurmJobArray"/>).
/// The job inherits this process's environment (the datastore's settings and credentials); the flow's code package is
/// extracted into the folder the cluster shares (<c>SHARPFLOW_SHARED_DIR</c>).
/// </summary>
public sealed class SlurmBackend : IArrayComputeBackend
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(300);

    /// <inheritdoc />
    public string Name => "slurm";

    /// <inheritdoc />
    public Type? AttributeType => typeof(SlurmAttribute);

    /// <inheritdoc />
    public WorkerProgram Program => WorkerProgram.SharedFolder;

    /// <inheritdoc />
    public bool LaunchesAsArray(IComputeAttribute? attribute) => attribute is not SlurmAttribute { JobArray: false };

    /// <inheritdoc />
    public bool ReachesLocalDatastore => true; // the cluster shares the filesystem the shared folder is on

    /// <inheritdoc />
    public string SpecDirectory(RunnerOptions options) => Directory.CreateDirectory(Path.Combine(SharedFolder.Of(options), "jobs")).FullName;

    /// <inheritdoc />
    public async Task<(int ExitCode, string Stderr)> LaunchAsync(TaskAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var name = $"sf-{attempt.FlowName}-{attempt.Step}-{attempt.TaskId}";
        var folder = Directory.CreateDirectory(Path.Combine(SpecDirectory(attempt.Options), $"{name}-{attempt.RunId}-{Guid.NewGuid():N}")).FullName;
        var output = Path.Combine(folder, "job.out");
        var error = Path.Combine(folder, "job.err");
        var script = Path.Combine(folder, "job.sh");
        var lines = SlurmCli.Header(name, attempt);
        lines.Add($"#SBATCH --output={output}");
        lines.Add($"#SBATCH --error={error}");
        lines.AddRange(SlurmCli.Setup(attempt));
        lines.Add("exec " + SlurmCli.CommandLine(attempt.Command));
        await File.WriteAllTextAsync(script, string.Join('\n', lines) + "\n", CancellationToken.None).ConfigureAwait(false);

        var jobId = await SlurmCli.SubmitAsync(script, attempt).ConfigureAwait(false);
        attempt.OnStatus?.Invoke($"Submitted as Slurm job {jobId}.");
        string? said = null;
        var cancelled = false;
        var unanswered = new SlurmCli.UnansweredPolls();
        DateTimeOffset? runningSince = null; // the deadline counts from the job's start, not its time in the queue (as for array elements)
        long read = 0;
        var partial = new StringBuilder();
        try
        {
            while (true)
            {
                read = SlurmCli.Tail(output, read, partial, attempt.OnStdoutLine);
                var shown = await SlurmCli.ShowAsync(jobId, unanswered).ConfigureAwait(false);
                var state = shown is null ? null : shown.Job ?? (shown.Vanished ? new SlurmCli.JobState(true, "UNKNOWN", null) : null);
                if (state is { Finished: true })
                {
                    SlurmCli.TailToEnd(output, read, partial, attempt.OnStdoutLine);
                    var stderr = File.Exists(error) ? await File.ReadAllTextAsync(error, CancellationToken.None).ConfigureAwait(false) : "";
                    var code = state.ExitCode ?? (cancelled ? 143 : 1);
                    var note = state.ExitCode is null ? $"\nSlurm job {jobId} ended in state {state.Name} without an exit code (the job vanished or was cancelled)." : "";
                    return (code, stderr + note);
                }
                if (state is { Name: "RUNNING" })
                {
                    runningSince ??= DateTimeOffset.UtcNow;
                }
                if (state?.Describe(jobId) is { } news && news != said)
                {
                    attempt.OnStatus?.Invoke(said = news); // pending and why, then running: each change once
                }
                var pastDeadline = attempt.Deadline is { } limit && runningSince is { } since && DateTimeOffset.UtcNow - since > limit;
                if ((cancellationToken.IsCancellationRequested || pastDeadline) && !cancelled)
                {
                    cancelled = true;
                    await SlurmCli.CommandAsync("scancel", jobId).ConfigureAwait(false);
                }
                await Task.Delay(Poll, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch when (!cancelled)
        {
            await SlurmCli.CommandAsync("scancel", jobId).ConfigureAwait(false); // the job must not outlive a failure to follow it
            throw;
        }
    }

    /// <inheritdoc />
    public Task LaunchArrayAsync(IReadOnlyList<TaskAttempt> attempts, ArrayElementExited onExited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(onExited);
        return SlurmJobArray.RunAsync(SpecDirectory(attempts[0].Options), attempts, onExited, Poll, cancellationToken);
    }
}
