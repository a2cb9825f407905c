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

    /// <summary>Where the run stands.</summary>
    public RunStatus Status { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it finished, or null while running.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The machine it ran on.</summary>
    public string Host { get; init; } = "";

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
}
