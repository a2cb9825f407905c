namespace Sharpflow.Metadata;

/// <summary>What is stored about a run: who started it, with which parameters, its tags and its outcome.</summary>
public sealed record RunRecord
{
    /// <summary>The flow's name.</summary>
    public required string FlowName { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The user who started it.</summary>
    public required string User { get; init; }

    /// <summary>Tags set by Sharpflow (<c>user:…</c>, <c>runtime:…</c>, ...).</summary>
    public IReadOnlyList<string> SystemTags { get; init; } = [];

    /// <summary>Tags given when the run started.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Parameter values as JSON text, by parameter property name.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The resolved configs, by name (identical in every task, on resume and in spin).</summary>
    public IReadOnlyDictionary<string, ConfigRecord> Configs { get; init; } = new Dictionary<string, ConfigRecord>();

    /// <summary>Decorators the run added to every step that has none of the kind (<c>--with</c>), as written.</summary>
    public IReadOnlyList<string> StepDecorators { get; init; } = [];

    /// <summary>Where the run stands.</summary>
    public RunStatus Status { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it finished, or null while running.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The machine it ran on.</summary>
    public string Host { get; init; } = "";

    /// <summary>The process that drives the run and keeps its heartbeat (null for runs an orchestrator drives).</summary>
    public RunOwner? Owner { get; init; }

    /// <summary>For a resumed run: the run it resumed.</summary>
    public string? OriginRunId { get; init; }

    /// <summary>For a resumed run: the first step that ran again.</summary>
    public string? ResumeStep { get; init; }

    /// <summary>How the exit hooks went (they never change <see cref="Status"/>).</summary>
    public IReadOnlyList<HookResult> Hooks { get; init; } = [];

    /// <summary>A one-paragraph summary of why it failed, or null.</summary>
    public string? Error { get; init; }

    /// <summary>The task that failed first (<c>step/task</c>), or null.</summary>
    public string? FailedTask { get; init; }

    /// <summary>The system tag of a spin's run (one step run again with past inputs).</summary>
    public const string SpinTag = "runtime:spin";

    /// <summary>The system tag of a partial run (a notebook step cell: the flow up to one step).</summary>
    public const string PartialTag = "runtime:partial";

    /// <summary>
    /// A spin or a partial run: listed with the flow's runs and found by id or tag, but never the latest run nor the
    /// default run to resume, spin or read <c>latest/...</c> from (it holds one step, not the flow's result).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsSideRun => SystemTags.Contains(SpinTag) || SystemTags.Contains(PartialTag);
}
