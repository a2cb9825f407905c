using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Client;

/// <summary>
/// One task of a step: status, timings, host, exception, captured output and artifacts. Named FlowTask so it never
/// clashes with <see cref="System.Threading.Tasks.Task"/>.
/// </summary>
[Formatting.TypeFormatterSource(typeof(Formatting.NotebookFormatterSource))]
public sealed class FlowTask
{
    private readonly ClientContext _context;
    private IReadOnlyDictionary<string, DataArtifact>? _artifacts;

    internal FlowTask(ClientContext context, Step step, TaskRecord record)
    {
        _context = context;
        Step = step;
        Record = record;
    }

    /// <summary>The stored record.</summary>
    public TaskRecord Record { get; }

    /// <summary>The step.</summary>
    public Step Step { get; }

    /// <summary>The task's id.</summary>
    public string Id => Record.TaskId;

    /// <summary><c>Flow/RunId/Step/TaskId</c>.</summary>
    public string Pathspec => $"{Step.Pathspec}/{Id}";

    /// <summary>Where the task stands: <see cref="RunStatus.Crashed"/> when it was left running by a run that crashed.</summary>
    public RunStatus Status => Record.Status == RunStatus.Running && Step.Run.Status == RunStatus.Crashed ? RunStatus.Crashed : Record.Status;

    /// <summary>True when it finished successfully.</summary>
    public bool Successful => Record.Status == RunStatus.Succeeded;

    /// <summary>True when it is no longer running.</summary>
    public bool Finished => Status != RunStatus.Running;

    /// <summary>When its last attempt started.</summary>
    public DateTimeOffset StartedAt => Record.StartedAt;

    /// <summary>When its last attempt finished, or null.</summary>
    public DateTimeOffset? FinishedAt => Record.FinishedAt;

    /// <summary>How long its last attempt took, or null while running.</summary>
    public TimeSpan? Duration => Record.FinishedAt - Record.StartedAt;

    /// <summary>The machine it ran on.</summary>
    public string Host => Record.Host;

    /// <summary>Where its last attempt ran as a scheduler placed it (Slurm job id, array element, GPUs); empty outside a job.</summary>
    public IReadOnlyDictionary<string, string> Placement => Record.Placement ?? new Dictionary<string, string>();

    /// <summary>For a task a resumed run cloned or a run with reuse reused: the origin task as <c>run/step/task</c>; null for tasks that ran.</summary>
    public string? Origin => Record.Origin;

    /// <summary>True when a run with reuse took this task from <see cref="Origin"/> (same code and inputs) instead of running it.</summary>
    public bool Reused => Record.Reused;

    /// <summary>The attempt the record describes (0 = first).</summary>
    public int Attempt => Record.Attempt;

    /// <summary>Every attempt's final record, first attempt first (retries keep all of them).</summary>
    public IReadOnlyList<TaskRecord> Attempts => ClientContext.Wait(_context.Metadata.ReadAttemptsAsync(Record.FlowName, Record.RunId, Record.StepName, Record.TaskId));

    /// <summary>The exception that failed it (or that [Catch] caught), or null.</summary>
    public ExceptionRecord? Exception => Record.Exception;

    /// <summary>The parent tasks as <c>step/task</c>.</summary>
    public IReadOnlyList<string> Parents => Record.Parents;

    /// <summary>The enclosing foreach levels, outermost first.</summary>
    public IReadOnlyList<ForeachFrame> ForeachStack =>
        Record.Splits.Where(s => s.Kind == TransitionKind.Foreach).Select(s => s.ToForeachFrame()).ToArray();

    /// <summary>The foreach indices joined by dots (e.g. <c>2.0</c>); empty outside a foreach.</summary>
    public string ForeachIndexPath => string.Join('.', ForeachStack.Select(f => f.Index));

    /// <summary>What the task's last attempt wrote to stdout.</summary>
    public string Stdout => Log("stdout");

    /// <summary>What the task's last attempt wrote to stderr (after a failure, its full trace).</summary>
    public string Stderr => Log("stderr");

    /// <summary>
    /// What one attempt wrote to <paramref name="stream"/> (<c>stdout</c> or <c>stderr</c>; a failed attempt's stderr
    /// ends with its full trace); the last attempt when <paramref name="attempt"/> is null.
    /// </summary>
    public string Log(string stream, int? attempt = null)
    {
        if (stream is not ("stdout" or "stderr"))
        {
            throw new ArgumentException($"'{stream}' is not a log: use stdout or stderr.", nameof(stream));
        }
        var record = attempt is not { } number || number == Record.Attempt ? Record
            : Attempts.FirstOrDefault(a => a.Attempt == number) ?? throw new ArgumentException(
                $"Task '{Pathspec}' has no attempt {number}; its attempts are {string.Join(", ", Attempts.Select(a => a.Attempt))}.");
        return (stream == "stdout" ? record.HasStdout : record.HasStderr) ? ClientContext.Wait(_context.Metadata.ReadLogAsync(record, stream)) : "";
    }

    /// <summary>
    /// The task's cards, by id (HTML loads when asked for). A cloned or reused task, which did not run, shows the cards
    /// of the task it came from (<see cref="Origin"/>, followed back to the task that ran).
    /// </summary>
    public IReadOnlyList<TaskCardFile> Cards
    {
        get
        {
            var (run, step, task) = (Record.RunId, Record.StepName, Record.TaskId);
            var origin = Record.Origin;
            for (var hops = 0; ; hops++)
            {
                var cards = ClientContext.Wait(_context.Store.ListAsync(Datastore.DatastoreLayout.Cards(Record.FlowName, run, step, task)))
                    .Where(n => n.EndsWith(".html", StringComparison.Ordinal))
                    .Select(n => new TaskCardFile(_context.Store, Datastore.DatastoreLayout.Card(Record.FlowName, run, step, task, n[..^5]), n[..^5]))
                    .ToArray();
                if (cards.Length > 0 || origin?.Split('/') is not [var originRun, var originStep, var originTask] || hops == 100)
                {
                    return cards;
                }
                (run, step, task) = (originRun, originStep, originTask);
                origin = ClientContext.Wait(_context.Metadata.ReadTasksAsync(Record.FlowName, run, [(step, task)]))[0]?.Origin;
            }
        }
    }

    /// <summary>The task's artifacts (reads the small index only; values load when asked for).</summary>
    public IReadOnlyCollection<DataArtifact> Artifacts => ArtifactMap.Values.ToArray();

    /// <summary>True when the task has an artifact with this name.</summary>
    public bool Has(string name) => ArtifactMap.ContainsKey(name);

    /// <summary>The artifact with this name.</summary>
    public DataArtifact this[string name] => ArtifactMap.TryGetValue(name, out var artifact) ? artifact
        : throw new KeyNotFoundException(Successful
            ? $"Task '{Pathspec}' has no artifact '{name}'. Its artifacts are: {string.Join(", ", ArtifactMap.Keys)}."
            : $"Task '{Pathspec}' has no artifacts: it {Status.ToString().ToLowerInvariant()}{(Exception is { } e ? $" with {e.Type}: {e.Message}" : "")}.");

    private IReadOnlyDictionary<string, DataArtifact> ArtifactMap => _artifacts ??= LoadArtifacts();

    private Dictionary<string, DataArtifact> LoadArtifacts()
    {
        if (!Successful)
        {
            return [];
        }
        var index = ClientContext.Wait(_context.Metadata.ReadArtifactIndexesAsync([Record]))[0];
        var store = _context.ArtifactsOf(Record.FlowName);
        return (index?.Artifacts ?? new Dictionary<string, ArtifactEntry>())
            .ToDictionary(p => p.Key, p => new DataArtifact(store, this, p.Key, p.Value), StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override string ToString() => $"Task('{Pathspec}', {Status})";
}
