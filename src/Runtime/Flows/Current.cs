namespace Sharpflow;

/// <summary>Facts about the task that is running, available inside a step as <see cref="FlowSpec.Current"/>.</summary>
public sealed class Current
{
    /// <summary>The flow's name (its class name).</summary>
    public required string FlowName { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The step's name (its method name).</summary>
    public required string StepName { get; init; }

    /// <summary>The task's id, unique within the run.</summary>
    public required string TaskId { get; init; }

    /// <summary>Zero on the first attempt, then one more on each retry.</summary>
    public int RetryCount { get; init; }

    /// <summary>The namespace the run belongs to (<c>user:&lt;name&gt;</c> by default).</summary>
    public required string Namespace { get; init; }

    /// <summary>The user who started the run.</summary>
    public required string User { get; init; }

    /// <summary>The run's tags (user tags and system tags).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The project (<see cref="ProjectAttribute"/>) the run belongs to, or null for a flow without one.</summary>
    public string? ProjectName => ProjectBranch.FromTags(Tags)?.Project;

    /// <summary>The run's project branch: <c>user.&lt;you&gt;</c>, <c>test.&lt;name&gt;</c> (<c>--branch</c>) or <c>prod</c> (<c>--production</c>); null without a project.</summary>
    public string? BranchName => ProjectBranch.FromTags(Tags)?.Branch;

    /// <summary>True when the run is on its project's production branch.</summary>
    public bool IsProduction => ProjectBranch.FromTags(Tags)?.IsProduction == true;

    /// <summary><c>project.branch.Flow</c>, a name unique to this flow on this branch (for tables, buckets, model names); null without a project.</summary>
    public string? ProjectFlowName => ProjectBranch.FromTags(Tags) is { } p ? $"{p.Project}.{p.Branch}.{FlowName}" : null;

    /// <summary>The enclosing foreach levels, outermost first; empty outside a foreach.</summary>
    public IReadOnlyList<ForeachFrame> ForeachStack { get; init; } = [];

    /// <summary>This task's index in the innermost foreach, or null outside a foreach.</summary>
    public int? ForeachIndex => ForeachStack.Count == 0 ? null : ForeachStack[^1].Index;

    /// <summary>The foreach indices from outermost to innermost joined by dots (e.g. <c>2.0</c>); empty outside a foreach.</summary>
    public string ForeachIndexPath => string.Join('.', ForeachStack.Select(f => f.Index));

    /// <summary>The task's pathspec: <c>Flow/RunId/Step/TaskId</c>.</summary>
    public string Pathspec => $"{FlowName}/{RunId}/{StepName}/{TaskId}";

    /// <summary>The GPUs granted to this task (<c>CUDA_VISIBLE_DEVICES</c>, as Slurm and the other backends set it); empty when none.</summary>
    public IReadOnlyList<string> Gpus => Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is { Length: > 0 } visible
        ? visible.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : [];

    /// <summary>The run's parameter values as stored JSON, by name (parameters added by mutators included).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The value of parameter <paramref name="name"/> (for parameters that mutators added, which have no property).</summary>
    public T Parameter<T>(string name) => Parameters.TryGetValue(name, out var json)
        ? System.Text.Json.JsonSerializer.Deserialize<T>(json, Artifacts.DataJson.Options)!
        : throw new KeyNotFoundException($"Flow '{FlowName}' has no parameter '{name}' in run {RunId}. Its parameters are: {string.Join(", ", Parameters.Keys)}.");

    /// <summary>The cards of this task (from the step's [Card] attributes): append components, refresh during long steps.</summary>
    public required Cards.CardSet Card { get; init; }

    /// <summary>Checkpoints of this task: save progress, and resume from it on a retry.</summary>
    public required Checkpoint Checkpoint { get; init; }

    /// <summary>Cancelled when the run is cancelled or the attempt's [Timeout] expires; pass it to long-running work.</summary>
    public CancellationToken CancellationToken { get; init; }
}
