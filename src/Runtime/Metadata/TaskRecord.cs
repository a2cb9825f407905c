using Sharpflow.Graph;

namespace Sharpflow.Metadata;

/// <summary>What is stored about a task: status, timings, host, lineage, foreach position, transition and exception.</summary>
public sealed record TaskRecord
{
    /// <summary>The flow's name.</summary>
    public required string FlowName { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The step's name.</summary>
    public required string StepName { get; init; }

    /// <summary>The task's id.</summary>
    public required string TaskId { get; init; }

    /// <summary>Where the task stands.</summary>
    public RunStatus Status { get; init; }

    /// <summary>The attempt this record describes (0 = first).</summary>
    public int Attempt { get; init; }

    /// <summary>When the attempt started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the attempt finished, or null while running.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The machine it ran on.</summary>
    public string Host { get; init; } = "";

    /// <summary>The process it ran in.</summary>
    public int ProcessId { get; init; }

    /// <summary>The resources the step asked for ([Resources], after configs and mutators), or null.</summary>
    public string? Resources { get; init; }

    /// <summary>
    /// Where the attempt ran as its scheduler placed it, read from the job's environment: <c>slurm_job_id</c>,
    /// <c>slurm_array_job_id</c> and <c>slurm_array_task_id</c>, <c>gpus</c> (the devices it was given); null outside a job.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Placement { get; init; }

    /// <summary>The parent tasks as <c>step/task</c>.</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];

    /// <summary>The open splits around the task, outermost first.</summary>
    public IReadOnlyList<SplitFrame> Splits { get; init; } = [];

    /// <summary>How many times a switch loop had entered this step (within the same splits) before this task; 0 without loops.</summary>
    public int Iteration { get; init; }

    /// <summary>The transition the step made, or null (end step, failure).</summary>
    public StepTransition? Transition { get; init; }

    /// <summary>The steps the task actually went on to (for a switch: the case taken).</summary>
    public IReadOnlyList<string> Next { get; init; } = [];

    /// <summary>For a task cloned by resume or reused: the origin task as <c>run/step/task</c>; null for tasks that ran.</summary>
    public string? Origin { get; init; }

    /// <summary>True for a task a run with reuse cloned from an earlier run's task with the same fingerprint, instead of running it.</summary>
    public bool Reused { get; init; }

    /// <summary>For a foreach split, how many tasks it started.</summary>
    public int? ForeachCount { get; init; }

    /// <summary>The exception that failed the task, or null.</summary>
    public ExceptionRecord? Exception { get; init; }

    /// <summary>True when the step wrote to stdout (the log is stored beside the record).</summary>
    public bool HasStdout { get; init; }

    /// <summary>True when the step wrote to stderr.</summary>
    public bool HasStderr { get; init; }

    /// <summary>
    /// The artifacts a succeeded task stored, kept in its record (one file per task instead of three); null while it
    /// runs, when it failed, and in records written before Sharpflow kept them here (their index is a file of its own).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ArtifactIndex? Artifacts { get; init; }
}
