using System.Text;
using Sharpflow.Datastore;

namespace Sharpflow.Metadata;

/// <summary>Reads and writes run, task and artifact-index records in a blob store; every write is atomic.</summary>
public sealed class MetadataStore(IBlobStore store)
{
    /// <summary>The blob store underneath.</summary>
    public IBlobStore Store => store;

    /// <summary>
    /// Creates the record of a new run, and its user tags' record (the tags it started with), so listing runs finds
    /// every tags record present instead of asking for a missing one per run; false if a run with that id exists already.
    /// </summary>
    public async Task<bool> TryCreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        if (!await store.TryCreateAsync(new BlobWrite(DatastoreLayout.RunRecord(run.FlowName, run.RunId), MetadataJson.Serialize(run)), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await store.SaveAsync([new BlobWrite(DatastoreLayout.RunTags(run.FlowName, run.RunId), MetadataJson.Serialize(new RunTags(run.Tags)))], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Replaces a run's record (status updates).</summary>
    public Task WriteRunAsync(RunRecord run, CancellationToken cancellationToken = default) =>
        store.SaveAsync([new BlobWrite(DatastoreLayout.RunRecord(run.FlowName, run.RunId), MetadataJson.Serialize(run))], cancellationToken);

    /// <summary>Stores the fingerprints of a run's steps and successful tasks (once, when the run ends).</summary>
    public Task WriteFingerprintsAsync(string flow, string run, RunFingerprints fingerprints, CancellationToken cancellationToken = default) =>
        store.SaveAsync([new BlobWrite(DatastoreLayout.RunFingerprints(flow, run), MetadataJson.Serialize(fingerprints))], cancellationToken);

    /// <summary>The fingerprints of several runs (null for a run that has none: still running, crashed, or older than reuse).</summary>
    public async Task<IReadOnlyList<RunFingerprints?>> ReadFingerprintsAsync(string flow, IReadOnlyList<string> runs, CancellationToken cancellationToken = default)
    {
        var keys = runs.Select(r => DatastoreLayout.RunFingerprints(flow, r)).ToArray();
        var data = await store.LoadAsync(keys, cancellationToken).ConfigureAwait(false);
        return data.Select((bytes, i) => bytes is null ? null : MetadataJson.Deserialize<RunFingerprints>(bytes, keys[i])).ToArray();
    }

    /// <summary>A run's record, or null if there is no such run.</summary>
    public async Task<RunRecord?> ReadRunAsync(string flow, string run, CancellationToken cancellationToken = default)
    {
        var key = DatastoreLayout.RunRecord(flow, run);
        var data = (await store.LoadAsync([key], cancellationToken).ConfigureAwait(false))[0];
        return data is null ? null : MetadataJson.Deserialize<RunRecord>(data, key);
    }

    /// <summary>
    /// Several runs of a flow read at once (in parallel on remote stores): each one's record (null when it has none) and
    /// user tags, or the damage that makes its record unreadable.
    /// </summary>
    public async Task<IReadOnlyList<StoredRun>> ReadRunsAsync(string flow, IReadOnlyList<string> runs, CancellationToken cancellationToken = default)
    {
        var keys = runs.Select(r => DatastoreLayout.RunRecord(flow, r)).Concat(runs.Select(r => DatastoreLayout.RunTags(flow, r))).ToArray();
        var data = await store.LoadAsync(keys, cancellationToken).ConfigureAwait(false);
        var read = new StoredRun[runs.Count];
        for (var i = 0; i < runs.Count; i++)
        {
            RunRecord? record;
            try
            {
                record = data[i] is { } bytes ? MetadataJson.Deserialize<RunRecord>(bytes, keys[i]) : null;
            }
            catch (InvalidDataException e)
            {
                read[i] = new StoredRun(runs[i], null, null, e);
                continue;
            }
            read[i] = new StoredRun(runs[i], record, record is null ? null : UserTagsOf(record, data[runs.Count + i], keys[runs.Count + i]), null);
        }
        return read;
    }

    /// <summary>A run's user tags from its tags record's bytes; null (read again when asked, and reported then) when that record is damaged.</summary>
    private static IReadOnlyList<string>? UserTagsOf(RunRecord record, byte[]? data, string key)
    {
        try
        {
            return data is null ? record.Tags : MetadataJson.Deserialize<RunTags>(data, key).Tags;
        }
        catch (InvalidDataException)
        {
            return null; // the run stays listed; reading its tags raises the error that names the record
        }
    }

    /// <summary>Records that the run's owner is alive now.</summary>
    public Task WriteHeartbeatAsync(RunRecord run, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        store.SaveAsync([new BlobWrite(DatastoreLayout.RunHeartbeat(run.FlowName, run.RunId), MetadataJson.Serialize(new RunHeartbeat(at)))], cancellationToken);

    /// <summary>When the run's owner last proved it was alive: its last heartbeat, else when the run started.</summary>
    public async Task<DateTimeOffset> ReadLastSeenAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        var key = DatastoreLayout.RunHeartbeat(run.FlowName, run.RunId);
        var data = (await store.LoadAsync([key], cancellationToken).ConfigureAwait(false))[0];
        return data is null ? run.CreatedAt : MetadataJson.Deserialize<RunHeartbeat>(data, key).At;
    }

    /// <summary>A run's current user tags: the tag record once tags were changed, else the tags it started with.</summary>
    public async Task<IReadOnlyList<string>> ReadUserTagsAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        var key = DatastoreLayout.RunTags(run.FlowName, run.RunId);
        var data = (await store.LoadAsync([key], cancellationToken).ConfigureAwait(false))[0];
        return data is null ? run.Tags : MetadataJson.Deserialize<RunTags>(data, key).Tags;
    }

    /// <summary>Adds and removes user tags of a run (system tags cannot be removed); returns the new user tags.</summary>
    public async Task<IReadOnlyList<string>> ChangeUserTagsAsync(RunRecord run, IEnumerable<string> add, IEnumerable<string> remove, CancellationToken cancellationToken = default)
    {
        var removing = remove.ToArray();
        foreach (var tag in removing.Where(run.SystemTags.Contains))
        {
            throw new ArgumentException($"'{tag}' is a system tag of run {run.FlowName}/{run.RunId}; system tags cannot be removed.");
        }
        var tags = (await ReadUserTagsAsync(run, cancellationToken).ConfigureAwait(false))
            .Except(removing, StringComparer.Ordinal)
            .Union(add.Select(RunTags.Validate), StringComparer.Ordinal)
            .ToArray();
        await store.SaveAsync([new BlobWrite(DatastoreLayout.RunTags(run.FlowName, run.RunId), MetadataJson.Serialize(new RunTags(tags)))], cancellationToken).ConfigureAwait(false);
        return tags;
    }

    /// <summary>The names of the flows the datastore holds (the top-level folders named like a .NET class).</summary>
    public async Task<IReadOnlyList<string>> ListFlowsAsync(CancellationToken cancellationToken = default) =>
        (await store.ListAsync("", cancellationToken).ConfigureAwait(false))
            .Where(n => n.Length > 0 && (char.IsLetter(n[0]) || n[0] == '_') && n.All(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '+' or '`')).ToArray();

    /// <summary>The ids of a flow's runs (unordered).</summary>
    public async Task<IReadOnlyList<string>> ListRunIdsAsync(string flow, CancellationToken cancellationToken = default) =>
        (await store.ListAsync(DatastoreLayout.Flow(flow), cancellationToken).ConfigureAwait(false))
            .Where(n => n is not (DatastoreLayout.DataFolder or DatastoreLayout.PackagesFolder)).ToArray();

    /// <summary>The names of the steps that have tasks in a run.</summary>
    public async Task<IReadOnlyList<string>> ListStepsAsync(string flow, string run, CancellationToken cancellationToken = default) =>
        (await store.ListAsync(DatastoreLayout.Run(flow, run), cancellationToken).ConfigureAwait(false))
            .Where(n => n != DatastoreLayout.MetaFolder).ToArray();

    /// <summary>The ids of a step's tasks in a run.</summary>
    public Task<IReadOnlyList<string>> ListTasksAsync(string flow, string run, string step, CancellationToken cancellationToken = default) =>
        store.ListAsync(DatastoreLayout.Step(flow, run, step), cancellationToken);

    /// <summary>Writes a task record.</summary>
    public Task WriteTaskAsync(TaskRecord task, CancellationToken cancellationToken = default) =>
        store.SaveAsync([TaskWrite(task)], cancellationToken);

    /// <summary>Task records by (step, task id), in order; null where a task has no record.</summary>
    public async Task<IReadOnlyList<TaskRecord?>> ReadTasksAsync(string flow, string run, IReadOnlyList<(string Step, string Task)> tasks, CancellationToken cancellationToken = default)
    {
        var keys = tasks.Select(t => DatastoreLayout.TaskRecord(flow, run, t.Step, t.Task)).ToArray();
        var data = await store.LoadAsync(keys, cancellationToken).ConfigureAwait(false);
        return data.Select((d, i) => d is null ? null : MetadataJson.Deserialize<TaskRecord>(d, keys[i])).ToArray();
    }

    /// <summary>A step with at least this many tasks gets a task list when its run succeeds (fewer are read one by one just as fast).</summary>
    public const int StepTaskListMinimum = 100;

    /// <summary>How many task records one part of a step's task list holds.</summary>
    public const int StepTaskListPartSize = 1000;

    /// <summary>
    /// Writes the task list of each step with at least <see cref="StepTaskListMinimum"/> tasks: their final records, as
    /// stored, in parts of <see cref="StepTaskListPartSize"/>. Only for a run whose tasks have all ended and whose records
    /// no longer change (a succeeded run): the list is a copy of those records, made without decoding them.
    /// </summary>
    public async Task WriteStepTaskListsAsync(string flow, string run, IEnumerable<string> steps, CancellationToken cancellationToken = default)
    {
        using var list = new MemoryStream(); // one buffer for every part (a part is about a megabyte)
        foreach (var step in steps)
        {
            var ids = await ListTasksAsync(flow, run, step, cancellationToken).ConfigureAwait(false);
            if (ids.Count < StepTaskListMinimum)
            {
                continue;
            }
            for (var part = 0; part * StepTaskListPartSize < ids.Count; part++)
            {
                var keys = ids.Skip(part * StepTaskListPartSize).Take(StepTaskListPartSize).Select(id => DatastoreLayout.TaskRecord(flow, run, step, id)).ToArray();
                var records = await store.LoadAsync(keys, cancellationToken).ConfigureAwait(false);
                if (records.Any(r => r is null))
                {
                    break; // a task folder without its record: readers read the rest of the step's records one by one
                }
                list.SetLength(0);
                list.WriteByte((byte)'[');
                for (var i = 0; i < records.Count; i++)
                {
                    if (i > 0)
                    {
                        list.WriteByte((byte)',');
                    }
                    list.Write(records[i]);
                }
                list.WriteByte((byte)']');
                await store.SaveAsync([new BlobWrite(DatastoreLayout.StepTaskListPart(flow, run, step, part), list.GetBuffer().AsMemory(0, (int)list.Length))], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The records of a step's tasks with these ids, in order (null where a task has no record): from the step's task
    /// list where its run wrote one, and one by one for any task the list lacks. A damaged part of the list is told to
    /// <paramref name="warn"/> and its tasks are read one by one.
    /// </summary>
    public async Task<IReadOnlyList<TaskRecord?>> ReadStepTasksAsync(string flow, string run, string step, IReadOnlyList<string> ids, Action<string> warn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(warn);
        var records = new Dictionary<string, TaskRecord?>(StringComparer.Ordinal);
        if (ids.Count >= StepTaskListMinimum)
        {
            var meta = $"{DatastoreLayout.Run(flow, run)}/{DatastoreLayout.MetaFolder}";
            var prefix = step + DatastoreLayout.StepTaskListMarker;
            var parts = (await store.ListAsync(meta, cancellationToken).ConfigureAwait(false))
                .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
                .Select(name => $"{meta}/{name}")
                .ToArray();
            var data = await store.LoadAsync(parts, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < parts.Length; i++)
            {
                try
                {
                    foreach (var record in data[i] is { } bytes ? MetadataJson.Deserialize<TaskRecord[]>(bytes, parts[i]) : [])
                    {
                        records[record.TaskId] = record;
                    }
                }
                catch (InvalidDataException e)
                {
                    warn($"{e.Message} Its tasks' records are read one by one instead.");
                }
            }
        }
        var missing = ids.Where(id => !records.ContainsKey(id)).ToArray();
        var read = missing.Length > 0 ? await ReadTasksAsync(flow, run, missing.Select(id => (step, id)).ToArray(), cancellationToken).ConfigureAwait(false) : [];
        for (var i = 0; i < missing.Length; i++)
        {
            records[missing[i]] = read[i];
        }
        return ids.Select(id => records[id]).ToArray();
    }

    /// <summary>
    /// Writes the logs, the attempt's record and then the task record of a finished attempt, so a reader that finds the
    /// task record finds the rest. A succeeded attempt's record and artifact index are the task record itself; a failed
    /// attempt gets a record of its own (the task's history of retries). With <paramref name="recordAttempt"/> false the
    /// attempt's own record is left as it was (a [Catch] result succeeds the task without rewriting the failed attempt).
    /// </summary>
    public async Task WriteTaskResultAsync(TaskRecord task, ArtifactIndex? artifacts, string stdout, string stderr, CancellationToken cancellationToken = default, bool recordAttempt = true)
    {
        var succeeded = task.Status == RunStatus.Succeeded;
        var final = task with { HasStdout = stdout.Length > 0, HasStderr = stderr.Length > 0, Artifacts = succeeded ? artifacts : null };
        var writes = new List<BlobWrite>(4);
        if (recordAttempt && !succeeded)
        {
            writes.Add(new(DatastoreLayout.AttemptRecord(task.FlowName, task.RunId, task.StepName, task.TaskId, task.Attempt), MetadataJson.Serialize(final)));
        }
        if (artifacts is not null && !succeeded)
        {
            writes.Add(new BlobWrite(DatastoreLayout.ArtifactIndex(task.FlowName, task.RunId, task.StepName, task.TaskId, task.Attempt), MetadataJson.Serialize(artifacts)));
        }
        if (stdout.Length > 0)
        {
            writes.Add(new BlobWrite(DatastoreLayout.Log(task.FlowName, task.RunId, task.StepName, task.TaskId, task.Attempt, "stdout"), Encoding.UTF8.GetBytes(stdout)));
        }
        if (stderr.Length > 0)
        {
            writes.Add(new BlobWrite(DatastoreLayout.Log(task.FlowName, task.RunId, task.StepName, task.TaskId, task.Attempt, "stderr"), Encoding.UTF8.GetBytes(stderr)));
        }
        if (writes.Count > 0)
        {
            await store.SaveAsync(writes, cancellationToken).ConfigureAwait(false);
        }
        await store.SaveAsync([TaskWrite(final)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The final records of every attempt of a task, first attempt first (a succeeded last attempt's is the task record).</summary>
    public async Task<IReadOnlyList<TaskRecord>> ReadAttemptsAsync(string flow, string run, string step, string task, CancellationToken cancellationToken = default)
    {
        var meta = $"{DatastoreLayout.Task(flow, run, step, task)}/{DatastoreLayout.MetaFolder}";
        var attempts = (await store.ListAsync(meta, cancellationToken).ConfigureAwait(false))
            .Where(n => n.EndsWith(".attempt.json", StringComparison.Ordinal))
            .Select(n => int.Parse(n[..n.IndexOf('.', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToArray();
        var keys = attempts.Select(a => DatastoreLayout.AttemptRecord(flow, run, step, task, a)).Append(DatastoreLayout.TaskRecord(flow, run, step, task)).ToArray();
        var data = await store.LoadAsync(keys, cancellationToken).ConfigureAwait(false);
        var records = data.Select((d, i) => d is null ? null : MetadataJson.Deserialize<TaskRecord>(d, keys[i])).ToArray();
        var history = records[..^1].OfType<TaskRecord>().ToList();
        if (records[^1] is { Status: RunStatus.Succeeded } last && !attempts.Contains(last.Attempt))
        {
            history.Add(last);
        }
        return history;
    }

    /// <summary>Artifact indexes of task attempts, in order; null where none was written.</summary>
    public async Task<IReadOnlyList<ArtifactIndex?>> ReadArtifactIndexesAsync(IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var result = tasks.Select(t => t.Artifacts).ToArray();
        var unread = Enumerable.Range(0, tasks.Count).Where(i => result[i] is null).ToArray();
        if (unread.Length == 0)
        {
            return result;
        }
        var keys = unread.Select(i => DatastoreLayout.ArtifactIndex(tasks[i].FlowName, tasks[i].RunId, tasks[i].StepName, tasks[i].TaskId, tasks[i].Attempt)).ToArray();
        var data = await store.LoadAsync(keys, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < unread.Length; j++)
        {
            result[unread[j]] = data[j] is null ? null : MetadataJson.Deserialize<ArtifactIndex>(data[j]!, keys[j]);
        }
        return result;
    }

    /// <summary>A task attempt's captured output (<paramref name="stream"/> is <c>stdout</c> or <c>stderr</c>); empty when it wrote nothing.</summary>
    public async Task<string> ReadLogAsync(TaskRecord task, string stream, CancellationToken cancellationToken = default)
    {
        var key = DatastoreLayout.Log(task.FlowName, task.RunId, task.StepName, task.TaskId, task.Attempt, stream);
        var data = (await store.LoadAsync([key], cancellationToken).ConfigureAwait(false))[0];
        return data is null ? "" : Encoding.UTF8.GetString(data);
    }

    private static BlobWrite TaskWrite(TaskRecord task) =>
        new(DatastoreLayout.TaskRecord(task.FlowName, task.RunId, task.StepName, task.TaskId), MetadataJson.Serialize(task));
}

/// <summary>One run as <see cref="MetadataStore.ReadRunsAsync"/> read it: its record and user tags, or why its record is unreadable.</summary>
public sealed record StoredRun(string RunId, RunRecord? Record, IReadOnlyList<string>? UserTags, InvalidDataException? Damage);
