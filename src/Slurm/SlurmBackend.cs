using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sharpflow.Compute;
using Sharpflow.Execution;

namespace Sharpflow.Slurm;

/// <summary>
/// Runs a task attempt as a Slurm batch job: writes a batch script (resources as <c>#SBATCH</c> lines: <c>--gres=gpu:N</c>,
/// <c>--cpus-per-task</c>, <c>--mem</c>, partition, account, time limit), submits it with <c>sbatch</c>, streams the job's
/// output file back line by line while <c>squeue</c> shows it pending or running, reads its exit code from
/// <c>scontrol show job</c>, and cancels it with <c>scancel</c> when the run is cancelled or the step times out.
/// The job inherits this process's environment (the datastore's settings and credentials); the flow's code package is
/// extracted into the folder the cluster shares (<c>SHARPFLOW_SHARED_DIR</c>).
/// </summary>
public sealed class SlurmBackend : IComputeBackend
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(300);

    /// <inheritdoc />
    public string Name => "slurm";

    /// <inheritdoc />
    public Type? AttributeType => typeof(SlurmAttribute);

    /// <inheritdoc />
    public WorkerProgram Program => WorkerProgram.SharedFolder;

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
        await File.WriteAllTextAsync(script, Script(name, output, error, attempt)).ConfigureAwait(false);

        var submitted = await CommandAsync("sbatch", "--parsable", script).ConfigureAwait(false);
        if (submitted.ExitCode != 0)
        {
            throw new InvalidOperationException($"Flow '{attempt.FlowName}', step '{attempt.Step}': sbatch refused the job: {submitted.Error.Trim()}{submitted.Output.Trim()}");
        }
        var jobId = submitted.Output.Trim().Split(';')[0];
        var onStdoutLine = attempt.OnStdoutLine;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (attempt.Deadline is { } limit)
        {
            stop.CancelAfter(limit);
        }
        var cancelled = false;
        long read = 0;
        var partial = new StringBuilder();
        while (true)
        {
            read = Tail(output, read, partial, onStdoutLine);
            var state = await StateAsync(jobId).ConfigureAwait(false);
            if (state.Finished)
            {
                Tail(output, read, partial, onStdoutLine);
                if (partial.Length > 0)
                {
                    onStdoutLine(partial.ToString());
                }
                var stderr = File.Exists(error) ? await File.ReadAllTextAsync(error).ConfigureAwait(false) : "";
                var code = state.ExitCode ?? (cancelled ? 143 : 1);
                var note = state.ExitCode is null ? $"\nSlurm job {jobId} ended in state {state.Name} without an exit code (the job vanished or was cancelled)." : "";
                return (code, stderr + note);
            }
            if (stop.IsCancellationRequested && !cancelled)
            {
                cancelled = true;
                await CommandAsync("scancel", jobId).ConfigureAwait(false);
            }
            await Task.Delay(Poll, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static string Script(string name, string output, string error, TaskAttempt attempt)
    {
        var resources = attempt.Resources ?? new ResourcesAttribute();
        var slurm = attempt.Attribute as SlurmAttribute;
        var command = attempt.Command;
        var lines = new List<string>
        {
            "#!/bin/bash",
            $"#SBATCH --job-name={name}",
            $"#SBATCH --output={output}",
            $"#SBATCH --error={error}",
            $"#SBATCH --cpus-per-task={Math.Max(1, resources.Cpu)}",
            $"#SBATCH --mem={resources.Memory}",
        };
        if (resources.Gpu > 0)
        {
            lines.Add($"#SBATCH --gres=gpu:{resources.Gpu}");
        }
        if (slurm?.Partition is { Length: > 0 } partition)
        {
            lines.Add($"#SBATCH --partition={partition}");
        }
        if (slurm?.Account is { Length: > 0 } account)
        {
            lines.Add($"#SBATCH --account={account}");
        }
        if (slurm is { TimeLimitMinutes: > 0 } limited)
        {
            lines.Add($"#SBATCH --time={limited.TimeLimitMinutes}");
        }
        lines.Add("exec " + string.Join(' ', command.Select(Quote)));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Hands over the complete lines added to the output file since <paramref name="offset"/>; returns the new offset.</summary>
    private static long Tail(string path, long offset, StringBuilder partial, Action<string> onLine)
    {
        if (!File.Exists(path))
        {
            return offset;
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length <= offset)
        {
            return offset;
        }
        file.Position = offset;
        var bytes = new byte[file.Length - offset];
        file.ReadExactly(bytes);
        partial.Append(Encoding.UTF8.GetString(bytes));
        var text = partial.ToString();
        var end = text.LastIndexOf('\n');
        if (end >= 0)
        {
            foreach (var line in text[..end].Split('\n'))
            {
                onLine(line.TrimEnd('\r'));
            }
            partial.Clear().Append(text[(end + 1)..]);
        }
        return offset + bytes.Length;
    }

    private sealed record JobState(bool Finished, string Name, int? ExitCode);

    private static async Task<JobState> StateAsync(string jobId)
    {
        var queued = await CommandAsync("squeue", "-h", "-j", jobId, "-o", "%T").ConfigureAwait(false);
        var name = queued.Output.Trim();
        if (queued.ExitCode == 0 && name is "PENDING" or "CONFIGURING" or "RUNNING" or "COMPLETING" or "SUSPENDED")
        {
            return new JobState(false, name, null);
        }
        var shown = await CommandAsync("scontrol", "show", "job", jobId, "-o").ConfigureAwait(false);
        var fields = shown.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        var state = fields.GetValueOrDefault("JobState") ?? (name.Length > 0 ? name : "UNKNOWN");
        if (state is "PENDING" or "CONFIGURING" or "RUNNING" or "COMPLETING")
        {
            return new JobState(false, state, null);
        }
        int? exit = fields.GetValueOrDefault("ExitCode") is { } code && code.Split(':') is [var status, var signal]
            && int.TryParse(status, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && int.TryParse(signal, NumberStyles.Integer, CultureInfo.InvariantCulture, out var g)
            ? (g != 0 ? 128 + g : s)
            : null;
        return new JobState(true, state, state is "CANCELLED" && exit == 0 ? 143 : exit);
    }

    private static async Task<(int ExitCode, string Output, string Error)> CommandAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program} (is Slurm installed on this machine?).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
