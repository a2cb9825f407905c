using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sharpflow.Compute;

namespace Sharpflow.Slurm;

/// <summary>What the Slurm backend shares between single jobs and job arrays: the batch script's <c>#SBATCH</c> lines, the Slurm commands, job states, and output tailing.</summary>
internal static class SlurmCli
{
    /// <summary>The <c>#SBATCH</c> lines for the step's resources and <c>[Slurm]</c> settings.</summary>
    public static List<string> Header(string name, TaskAttempt attempt)
    {
        var resources = attempt.Resources ?? new ResourcesAttribute();
        var slurm = attempt.Attribute as SlurmAttribute;
        var lines = new List<string>
        {
            "#!/bin/bash",
            $"#SBATCH --job-name={name}",
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
        foreach (var option in (slurm?.Options ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            lines.Add(option.StartsWith('-') ? $"#SBATCH {option}" : throw new ArgumentException(
                $"Flow '{attempt.FlowName}', step '{attempt.Step}': [Slurm(Options = \"{slurm!.Options}\")] has '{option}', which is not an sbatch option (--name=value)."));
        }
        return lines;
    }

    /// <summary>The script lines between the <c>#SBATCH</c> lines and the task: stop at the first failure, then <c>[Slurm(Setup)]</c>.</summary>
    public static IEnumerable<string> Setup(TaskAttempt attempt) =>
        attempt.Attribute is SlurmAttribute { Setup: { Length: > 0 } setup } ? ["set -e", setup, "set +e"] : [];

    /// <summary>Submits a batch script; returns the job id.</summary>
    public static async Task<string> SubmitAsync(string script, TaskAttempt attempt)
    {
        var submitted = await CommandAsync("sbatch", "--parsable", script).ConfigureAwait(false);
        if (submitted.ExitCode != 0)
        {
            throw new InvalidOperationException($"Flow '{attempt.FlowName}', step '{attempt.Step}': sbatch refused the job: {submitted.Error.Trim()}{submitted.Output.Trim()}");
        }
        return submitted.Output.Trim().Split(';')[0];
    }

    /// <summary>A job's (or one array element's) state as <c>scontrol show job</c> shows it.</summary>
    public sealed record JobState(bool Finished, string Name, int? ExitCode)
    {
        /// <summary>Why a pending job waits (<c>Resources</c>, <c>Priority</c>, <c>PartitionConfig</c>, ...), or null.</summary>
        public string? Reason { get; init; }

        /// <summary>
        /// A few words on where job <paramref name="jobId"/> stands (<paramref name="what"/>: "Slurm job 42" unless given),
        /// with a warning when Slurm says it can never start as asked.
        /// </summary>
        public string Describe(string jobId, string? what = null)
        {
            var subject = what ?? $"Slurm job {jobId}";
            return Reason is null or "None" ? $"{subject} is {Name.ToLowerInvariant()}."
                : NeverStarts.Contains(Reason)
                    ? $"{subject} is {Name.ToLowerInvariant()} ({Reason}) and cannot start as asked: it wants more CPUs, memory, GPUs or time than "
                        + $"its partition allows. Lower [Resources] or pick another partition ([Slurm(Partition = ...)]); `scontrol show job {jobId}` says more."
                    : $"{subject} is {Name.ToLowerInvariant()} ({Reason}).";
        }

        /// <summary>Pending reasons that do not pass with time: the request itself does not fit.</summary>
        private static readonly HashSet<string> NeverStarts = ["PartitionConfig", "PartitionNodeLimit", "PartitionTimeLimit", "BadConstraints", "InvalidAccount", "InvalidQOS", "QOSMaxCpuPerJobLimit", "QOSMaxGRESPerJob", "QOSMaxMemoryPerJob"];
    }

    /// <summary>What <c>scontrol show job</c> said: the job's state, or every array element's by index (pending ranges left out).</summary>
    /// <param name="Job">The job's state (null for an array job: see <paramref name="Elements"/>).</param>
    /// <param name="Elements">Each started array element's state by index.</param>
    /// <param name="Vanished">The controller no longer knows the job (it ended longer ago than <c>MinJobAge</c>, or was never there).</param>
    public sealed record JobStates(JobState? Job, IReadOnlyDictionary<int, JobState> Elements, bool Vanished)
    {
        /// <summary>An array's elements not started yet, as one pending state (with its reason), or null.</summary>
        public JobState? Waiting { get; init; }
    }

    /// <summary>How many polls in a row the controller may fail to answer before the job is given up on.</summary>
    private const int UnansweredPollsAllowed = 100;

    /// <summary>
    /// The states of a job, or of every element of an array job. A controller that does not answer (busy, restarting)
    /// is asked again on the next poll, up to <see cref="UnansweredPollsAllowed"/> times in a row; null this time.
    /// </summary>
    public static async Task<JobStates?> ShowAsync(string jobId, UnansweredPolls unanswered)
    {
        var shown = await CommandAsync("scontrol", "show", "job", jobId, "-o").ConfigureAwait(false);
        if (shown.ExitCode != 0 && !shown.Error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
        {
            if (++unanswered.Count > UnansweredPollsAllowed)
            {
                throw new InvalidOperationException($"Slurm's controller did not answer about job {jobId} {UnansweredPollsAllowed} times in a row: {shown.Error.Trim()}");
            }
            return null;
        }
        unanswered.Count = 0;
        JobState? job = null;
        JobState? waiting = null;
        var elements = new Dictionary<int, JobState>();
        var listed = false;
        foreach (var line in shown.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
                .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            if (fields.GetValueOrDefault("JobState") is not { } name)
            {
                continue;
            }
            listed = true;
            var state = StateOf(name, fields.GetValueOrDefault("ExitCode")) with { Reason = fields.GetValueOrDefault("Reason") };
            if (fields.GetValueOrDefault("ArrayTaskId") is { } arrayIndex)
            {
                if (int.TryParse(arrayIndex, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    elements[index] = state;
                }
                else
                {
                    waiting = state; // a range of elements not started yet ("5-199%4"): pending, with its reason
                }
            }
            else
            {
                job = state;
            }
        }
        return new JobStates(job, elements, !listed) { Waiting = waiting };
    }

    /// <summary>Counts the polls in a row that the controller did not answer.</summary>
    public sealed class UnansweredPolls
    {
        public int Count { get; set; }
    }

    private static JobState StateOf(string name, string? exitCode)
    {
        if (name is "PENDING" or "CONFIGURING" or "RUNNING" or "COMPLETING" or "SUSPENDED" or "REQUEUED")
        {
            return new JobState(false, name, null);
        }
        int? exit = exitCode is { } code && code.Split(':') is [var status, var signal]
            && int.TryParse(status, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && int.TryParse(signal, NumberStyles.Integer, CultureInfo.InvariantCulture, out var g)
            ? (g != 0 ? 128 + g : s)
            : null;
        return new JobState(true, name, name is "CANCELLED" && exit == 0 ? 143 : exit);
    }

    /// <summary>Hands over the complete lines added to the output file since <paramref name="offset"/>; returns the new offset.</summary>
    public static long Tail(string path, long offset, StringBuilder partial, Action<string> onLine)
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

    /// <summary>Hands over what is left of the output (the last line, even without its newline).</summary>
    public static void TailToEnd(string path, long offset, StringBuilder partial, Action<string> onLine)
    {
        Tail(path, offset, partial, onLine);
        if (partial.Length > 0)
        {
            onLine(partial.ToString());
            partial.Clear();
        }
    }

    public static async Task<(int ExitCode, string Output, string Error)> CommandAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Could not run '{program}': {e.Message}. Steps with [Slurm] (or --with slurm) submit jobs from this machine: install the Slurm client commands (sbatch, scontrol, scancel) and make sure they are on PATH, or run the step elsewhere.", e);
        }
        using var owned = process;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>A command line for bash, every word single-quoted.</summary>
    public static string CommandLine(IEnumerable<string> command) => string.Join(' ', command.Select(Quote));

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
