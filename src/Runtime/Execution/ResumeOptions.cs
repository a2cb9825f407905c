namespace Sharpflow.Execution;

/// <summary>What to resume: which run (default: the latest in your namespace) and from which step (default: where it failed).</summary>
public sealed record ResumeOptions
{
    /// <summary>The run to resume; null for the latest run of the flow in the current user's namespace.</summary>
    public string? OriginRunId { get; init; }

    /// <summary>The step to run again from; null for the step that failed (or, for a run that died, the first unfinished one).</summary>
    public string? Step { get; init; }

    /// <summary>Parameter values; they must equal the origin run's (a resumed run keeps its parameters).</summary>
    public IReadOnlyDictionary<string, object?>? Parameters { get; init; }
}
