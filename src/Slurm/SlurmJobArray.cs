using System.Globalization;
using System.Text;
using Sharpflow.Compute;

namespace Sharpflow.Slurm;

/// <summary>
/// A foreach's first attempts as Slurm job arrays: one <c>sbatch --array=0-N%K</c> per <c>MaxArraySize</c> elements (the
/// cluster's limit, 1001 by default), element <c>i</c> running attempt <c>i</c>'s command (one quoted line each in the
/// array's <c>commands</c> file) with its own output files (<c>%a.out</c>, <c>%a.err</c>). One <c>scontrol show job</c> per
/// poll gives every element's state; each running element's output is streamed back, an element past its deadline is
/// cancelled alone (<c>scancel JOB_INDEX</c>), and cancelling the run cancels the whole array.
/// </summary>
internal static class SlurmJobArray
{
    /// <summary>Read from the cluster once per process.</summary>
    private static readonly Lazy<Task<int>> MaxArraySize = new(ReadMaxArraySizeAsync);

    public static async Task RunAsync(string jobsFolder, IReadOnlyList<TaskAttempt> attempts, ArrayElementExited onExited, TimeSpan poll, CancellationToken cancellationToken)
    {
        var size = await MaxArraySize.Value.ConfigureAwait(false);
        await ArrayChunks.RunAsync(attempts.Count, size, (first, count) => RunChunkAsync(jobsFolder, attempts, first, count, onExited, poll, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Runs attempts [<paramref name="first"/>, first + count) as one array job.</summary>
    private static async Task RunChunkAsync(string jobsFolder, IReadOnlyList<TaskAttempt> attempts, int first, int count, ArrayElementExited onExited, TimeSpan poll, CancellationToken cancellationToken)
    {
        var head = attempts[first];
        var name = $"sf-{head.FlowName}-{head.Step}";
        var folder = Directory.CreateDirectory(Path.Combine(jobsFolder, $"{name}-array-{head.RunId}-{Guid.NewGuid():N}")).FullName;
        var commands = Path.Combine(folder, "commands");
        await File.WriteAllLinesAsync(commands, Enumerable.Range(first, count).Select(i => "exec " + SlurmCli.CommandLine(attempts[i].Command)), CancellationToken.None).ConfigureAwait(false);
        var throttle = head.Attribute is SlurmAttribute { MaxParallel: > 0 } slurm ? $"%{slurm.MaxParallel}" : "";
        var lines = SlurmCli.Header(name, head);
        lines.Add($"#SBATCH --array=0-{count - 1}{throttle}");
        lines.Add($"#SBATCH --output={Path.Combine(folder, "%a.out")}");
        lines.Add($"#SBATCH --error={Path.Combine(folder, "%a.err")}");
        lines.AddRange(SlurmCli.Setup(head));
        lines.Add($"eval \"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" '{commands}')\"");
        var script = Path.Combine(folder, "array.sh");
        await File.WriteAllTextAsync(script, string.Join('\n', lines) + "\n", CancellationToken.None).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            for (var i = 0; i < count; i++)
            {
                onExited(first + i, 143, "The run was cancelled before its Slurm job array was submitted.");
            }
            return;
        }

        var jobId = await SlurmCli.SubmitAsync(script, head).ConfigureAwait(false);
        head.OnStatus?.Invoke($"Submitted as Slurm job array {jobId} ({count} elements, {jobId}_0 to {jobId}_{count - 1}).");
        string? said = null;
        var elements = Enumerable.Range(0, count).Select(i => new Element(attempts[first + i], Path.Combine(folder, $"{i}.out"), Path.Combine(folder, $"{i}.err"))).ToArray();
        var left = count;
        var cancelled = false;
        var unanswered = new SlurmCli.UnansweredPolls();
        try
        {
            await FollowAsync().ConfigureAwait(false);
        }
        catch when (!cancelled)
        {
            await SlurmCli.CommandAsync("scancel", jobId).ConfigureAwait(false); // the array must not outlive a failure to follow it
            throw;
        }

        async Task FollowAsync()
        {
            while (left > 0)
            {
                var shown = await SlurmCli.ShowAsync(jobId, unanswered).ConfigureAwait(false);
                if (shown?.Waiting?.Describe(jobId, $"Slurm job array {jobId} (its elements not started yet)") is { } news && news != said)
                {
                    head.OnStatus?.Invoke(said = news); // why the rest of the array waits, each change once
                }
                for (var i = 0; shown is not null && i < count; i++)
                {
                    var element = elements[i];
                    if (element.Ended)
                    {
                        continue;
                    }
                    var state = shown.Elements.GetValueOrDefault(i);
                    if (state is null && shown.Vanished)
                    {
                        state = new SlurmCli.JobState(true, "UNKNOWN", null); // the array is gone from the controller
                    }
                    if (state is { Finished: false, Name: "RUNNING" } && element.RunningSince is null)
                    {
                        element.RunningSince = DateTimeOffset.UtcNow;
                    }
                    if (state is { Finished: true })
                    {
                        element.Ended = true;
                        left--;
                        SlurmCli.TailToEnd(element.Output, element.Read, element.Partial, element.Attempt.OnStdoutLine);
                        var stderr = File.Exists(element.Error) ? await File.ReadAllTextAsync(element.Error, CancellationToken.None).ConfigureAwait(false) : "";
                        var note = state.ExitCode is null ? $"\nSlurm job {jobId}_{i} ended in state {state.Name} without an exit code (the job vanished or was cancelled)." : "";
                        onExited(first + i, state.ExitCode ?? (cancelled || element.StoppedAtDeadline ? 143 : 1), stderr + note);
                        continue;
                    }
                    if (element.RunningSince is { } since)
                    {
                        element.Read = SlurmCli.Tail(element.Output, element.Read, element.Partial, element.Attempt.OnStdoutLine);
                        if (element.Attempt.Deadline is { } limit && !element.StoppedAtDeadline && DateTimeOffset.UtcNow - since > limit)
                        {
                            element.StoppedAtDeadline = true;
                            await SlurmCli.CommandAsync("scancel", $"{jobId}_{i.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
                        }
                    }
                }
                if (cancellationToken.IsCancellationRequested && !cancelled)
                {
                    cancelled = true;
                    await SlurmCli.CommandAsync("scancel", jobId).ConfigureAwait(false);
                }
                if (left > 0)
                {
                    await Task.Delay(poll, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The cluster's <c>MaxArraySize</c>: array indices run from 0 to one less.</summary>
    private static async Task<int> ReadMaxArraySizeAsync()
    {
        var config = await SlurmCli.CommandAsync("scontrol", "show", "config").ConfigureAwait(false);
        var line = config.Output.Split('\n').FirstOrDefault(l => l.StartsWith("MaxArraySize", StringComparison.Ordinal));
        return line is not null && int.TryParse(line.Split('=', 2)[^1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 1
            ? max
            : 1001; // Slurm's default
    }

    /// <summary>One element's attempt, its output files and how far its output has been read.</summary>
    private sealed class Element(TaskAttempt attempt, string output, string error)
    {
        public TaskAttempt Attempt { get; } = attempt;

        public string Output { get; } = output;

        public string Error { get; } = error;

        public long Read { get; set; }

        public StringBuilder Partial { get; } = new();

        public DateTimeOffset? RunningSince { get; set; }

        public bool Ended { get; set; }

        public bool StoppedAtDeadline { get; set; }
    }
}
