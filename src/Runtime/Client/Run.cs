using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Client;

/// <summary>One run of a flow: status, parameters, tags, and its steps and tasks.</summary>
[Formatting.TypeFormatterSource(typeof(Formatting.NotebookFormatterSource))]
public sealed class Run
{
    private readonly ClientContext _context;
    private IReadOnlyList<Step>? _steps;
    private IReadOnlyList<string>? _userTags;
    private IReadOnlyList<string>? _stepNames;
    private Dictionary<string, Step>? _byName;
    private RunStatus? _status;
    private DateTimeOffset? _lastSeen;

    internal Run(ClientContext context, RunRecord record, IReadOnlyList<string>? userTags = null)
    {
        _context = context;
        Record = record;
        _userTags = userTags;
    }

    /// <summary>The stored record.</summary>
    public RunRecord Record { get; }

    /// <summary>The run's id.</summary>
    public string Id => Record.RunId;

    /// <summary>The flow's name.</summary>
    public string FlowName => Record.FlowName;

    /// <summary><c>Flow/RunId</c>.</summary>
    public string Pathspec => $"{FlowName}/{Id}";

    /// <summary>
    /// Where the run stands. A run left <see cref="RunStatus.Running"/> whose owner process is gone (killed, out of
    /// memory, machine lost) is <see cref="RunStatus.Crashed"/>; see <see cref="LastSeen"/>.
    /// </summary>
    public RunStatus Status => _status ??= Record.Status == RunStatus.Running && Record.Owner is { } owner && !owner.IsAlive(() => LastSeen)
        ? RunStatus.Crashed
        : Record.Status;

    /// <summary>When the run's owner last proved it was alive (its heartbeat; the start for a run that never beat).</summary>
    public DateTimeOffset LastSeen => _lastSeen ??= Record.Status == RunStatus.Running
        ? ClientContext.Wait(_context.Metadata.ReadLastSeenAsync(Record))
        : Record.FinishedAt ?? Record.CreatedAt;

    /// <summary>True when the run finished successfully.</summary>
    public bool Successful => Record.Status == RunStatus.Succeeded;

    /// <summary>
    /// True for a spin or a notebook step cell's partial run: listed in <see cref="Flow.Runs"/>, never
    /// <see cref="Flow.LatestRun"/> nor a default resume origin.
    /// </summary>
    public bool IsSideRun => Record.IsSideRun;

    /// <summary>True when the run is no longer running (it finished, or it crashed).</summary>
    public bool Finished => Status != RunStatus.Running;

    /// <summary>When it started.</summary>
    public DateTimeOffset CreatedAt => Record.CreatedAt;

    /// <summary>When it finished, or null.</summary>
    public DateTimeOffset? FinishedAt => Record.FinishedAt;

    /// <summary>Who ran it.</summary>
    public string User => Record.User;

    /// <summary>All tags: system tags and user tags.</summary>
    public IReadOnlyList<string> Tags => [.. Record.SystemTags, .. UserTags];

    /// <summary>Tags set by Sharpflow (user, runtime, versions); they never change.</summary>
    public IReadOnlyList<string> SystemTags => Record.SystemTags;

    /// <summary>Tags set by people, at run time or later with <see cref="AddTagsAsync"/>.</summary>
    public IReadOnlyList<string> UserTags => _userTags ??= ClientContext.Wait(_context.Metadata.ReadUserTagsAsync(Record));

    /// <summary>Adds user tags to the run.</summary>
    public async Task AddTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default) =>
        _userTags = await _context.Metadata.ChangeUserTagsAsync(Record, tags, [], cancellationToken).ConfigureAwait(false);

    /// <summary>Removes user tags from the run (system tags cannot be removed).</summary>
    public async Task RemoveTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default) =>
        _userTags = await _context.Metadata.ChangeUserTagsAsync(Record, [], tags, cancellationToken).ConfigureAwait(false);

    /// <summary>Replaces user tags in one write: <paramref name="remove"/> go, <paramref name="add"/> come (system tags cannot be removed).</summary>
    public async Task ReplaceTagsAsync(IEnumerable<string> remove, IEnumerable<string> add, CancellationToken cancellationToken = default) =>
        _userTags = await _context.Metadata.ChangeUserTagsAsync(Record, add, remove, cancellationToken).ConfigureAwait(false);

    /// <summary>Why it failed, or null.</summary>
    public string? Error => Record.Error;

    /// <summary>The resolved configs the run used, by name, as read-only trees.</summary>
    public IReadOnlyDictionary<string, Config.ConfigValue> Configs =>
        Record.Configs.ToDictionary(p => p.Key, p => new Config.ConfigValue(System.Text.Json.Nodes.JsonNode.Parse(p.Value.Json)), StringComparer.Ordinal);

    /// <summary>The parameter values as stored JSON, by property name.</summary>
    public IReadOnlyDictionary<string, string> Parameters => Record.Parameters;

    /// <summary>The steps that ran, in the order their first task started.</summary>
    public IReadOnlyList<Step> Steps => _steps ??= StepNames
        .Select(name => _byName?.GetValueOrDefault(name) ?? new Step(_context, this, name))
        .OrderBy(s => s.Tasks.Count == 0 ? DateTimeOffset.MaxValue : s.Tasks.Min(t => t.StartedAt))
        .ToArray();

    /// <summary>The step with this name (case-insensitive fallback: <c>run["start"]</c> finds <c>Start</c>); reads only that step's tasks.</summary>
    public Step this[string step]
    {
        get
        {
            var names = StepNames;
            var name = names.FirstOrDefault(n => n == step) ?? names.FirstOrDefault(n => string.Equals(n, step, StringComparison.OrdinalIgnoreCase))
                ?? throw new KeyNotFoundException($"Run '{Pathspec}' has no step '{step}'. Its steps are: {string.Join(", ", Steps.Select(s => s.Name))}.");
            return _steps?.First(s => s.Name == name) ?? (_byName ??= []).GetValueOrDefault(name) ?? (_byName[name] = new Step(_context, this, name));
        }
    }

    private IReadOnlyList<string> StepNames => _stepNames ??= ClientContext.Wait(_context.Metadata.ListStepsAsync(FlowName, Id));

    /// <summary>The end step's task once the run succeeded, or null.</summary>
    public FlowTask? EndTask => Steps.FirstOrDefault(s => s.Name == FlowGraphNames.End)?.Tasks.FirstOrDefault(t => t.Successful)
        ?? (Steps.Count == 1 ? Steps[0].Tasks.FirstOrDefault(t => t.Successful) : null);

    /// <summary>The end task's artifacts (Metaflow's <c>run.data</c>); throws while the run has not succeeded.</summary>
    public FlowTask Data => EndTask ?? throw new InvalidOperationException($"Run '{Pathspec}' has no successful end task (status {Status}); read artifacts from a step instead: run[\"Step\"].Task[\"name\"].");

    /// <inheritdoc />
    public override string ToString() => $"Run('{Pathspec}', {Status})";
}
