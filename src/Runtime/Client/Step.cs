using System.Globalization;

namespace Sharpflow.Client;

/// <summary>One step of a run and its tasks.</summary>
[Formatting.TypeFormatterSource(typeof(Formatting.NotebookFormatterSource))]
public sealed class Step
{
    private readonly ClientContext _context;
    private IReadOnlyList<FlowTask>? _tasks;

    internal Step(ClientContext context, Run run, string name)
    {
        _context = context;
        Run = run;
        Name = name;
    }

    /// <summary>The run.</summary>
    public Run Run { get; }

    /// <summary>The step's name.</summary>
    public string Name { get; }

    /// <summary><c>Flow/RunId/Step</c>.</summary>
    public string Pathspec => $"{Run.Pathspec}/{Name}";

    /// <summary>The step's tasks, by task id (records are read in one batch; artifacts only when asked for).</summary>
    public IReadOnlyList<FlowTask> Tasks => _tasks ??= LoadTasks();

    /// <summary>The step's only (or first) task.</summary>
    public FlowTask Task => Tasks.Count > 0 ? Tasks[0] : throw new InvalidOperationException($"Step '{Pathspec}' has no tasks.");

    /// <summary>The task with this id (reads only its record unless the step's tasks are already loaded).</summary>
    public FlowTask this[string taskId]
    {
        get
        {
            var task = _tasks is not null
                ? _tasks.FirstOrDefault(t => t.Id == taskId)
                : ClientContext.Wait(_context.Metadata.ReadTasksAsync(Run.FlowName, Run.Id, [(Name, taskId)]))[0] is { } record ? new FlowTask(_context, this, record) : null;
            return task ?? throw new KeyNotFoundException($"Step '{Pathspec}' has no task '{taskId}'. Its tasks are: {string.Join(", ", Tasks.Select(t => t.Id))}.");
        }
    }

    private FlowTask[] LoadTasks()
    {
        var ids = ClientContext.Wait(_context.Metadata.ListTasksAsync(Run.FlowName, Run.Id, Name));
        IReadOnlyList<Metadata.TaskRecord?> records;
        try
        {
            records = ClientContext.Wait(_context.Metadata.ReadStepTasksAsync(Run.FlowName, Run.Id, Name, ids, _context.Warn));
        }
        catch (InvalidDataException)
        {
            // One damaged record: read them one by one, so only that one is skipped (with a warning naming it).
            records = ids.Select(id => _context.ReadOrWarn(async () => (await _context.Metadata.ReadTasksAsync(Run.FlowName, Run.Id, [(Name, id)]).ConfigureAwait(false))[0], $"Task '{Pathspec}/{id}'")).ToArray();
        }
        return records.Where(r => r is not null)
            .Select(r => new FlowTask(_context, this, r!))
            .OrderBy(t => long.TryParse(t.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue)
            .ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => $"Step('{Pathspec}')";
}
