using Sharpflow.Client;

namespace Sharpflow.LanguageServer;

/// <summary>
/// What the datastore knows of a flow's latest run, as hover Markdown: a step's task statuses, longest duration and
/// artifact previews, or an artifact's latest stored value. Reads through the Client API (lazily, one run).
/// </summary>
/// <summary>An artifact's value as an editor shows it: its pathspec, short type, stored size and text.</summary>
internal sealed record ArtifactValue(string Pathspec, string Type, long Size, string Text);

internal sealed class RunFacts(Lazy<Datastore.IBlobStore> datastore)
{
    private const int PreviewLength = 120;

    /// <summary>The step's tasks in the flow's latest run, or "" when the flow never ran or the step did not run.</summary>
    public string StepFacts(string flow, string step) => Guarded(() =>
    {
        var run = LatestRun(flow);
        if (run is null || !run.Steps.Any(s => s.Name == step))
        {
            return "";
        }
        var tasks = run[step].Tasks;
        var first = tasks[0];
        var artifacts = first.Successful
            ? string.Join('\n', first.Artifacts.OrderBy(a => a.Name, StringComparer.Ordinal).Take(10).Select(a => $"- `{a.Name}` ({ShortType(a)}): {Preview(a)}"))
            : "";
        return $"\n\n**Latest run {run.Id}** ({run.Status}): {tasks.Count} task(s), "
            + $"{string.Join(", ", tasks.GroupBy(t => t.Status).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"))}, "
            + $"longest {tasks.Max(t => t.Duration ?? TimeSpan.Zero).TotalMilliseconds:0} ms\n{artifacts}";
    });

    /// <summary>The artifact's value in the latest run, from the last step (in start order) whose successful task stored it.</summary>
    public string ArtifactFacts(string flow, string artifact) => Guarded(() =>
    {
        var run = LatestRun(flow);
        if (run is null)
        {
            return "\n\nNo run of this flow in the datastore yet.";
        }
        var task = run.Steps.Reverse().SelectMany(s => s.Tasks.Where(t => t.Successful)).FirstOrDefault(t => t.Has(artifact));
        if (task is null)
        {
            return $"\n\nNot stored by any successful task of the latest run {run.Id} ({run.Status}).";
        }
        var stored = task[artifact];
        var steps = run.Steps.Count(s => s.Tasks.Any(t => t.Successful && t.Has(artifact)));
        return $"\n\n**Latest value** (run {run.Id}, `{task.Pathspec}`, {ShortType(stored)}, {stored.Size} bytes):\n\n```json\n{Preview(stored)}\n```\n"
            + $"Stored by {steps} step(s) of that run.";
    });

    /// <summary>One task's artifact, whole (as indented JSON) for an editor to show read-only; very large values are described, not shown.</summary>
    public ArtifactValue ArtifactValue(string flow, string run, string step, string task, string name)
    {
        var stored = new Flow(flow, ClientOptions.Global with { BlobStore = datastore.Value })[run][step][task][name];
        string text;
        if (stored.Size > MaxShownBytes)
        {
            text = $"// {stored.Name}: {ShortType(stored)}, {stored.Size} bytes: too large to show here; read it with the Client API: new Flow(\"{flow}\")[\"{run}\"][\"{step}\"][\"{task}\"][\"{name}\"].Value";
        }
        else
        {
            text = System.Text.Json.JsonSerializer.Serialize(stored.Value, stored.Value?.GetType() ?? typeof(object), new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        }
        return new ArtifactValue($"{flow}/{run}/{step}/{task}/{name}", ShortType(stored), stored.Size, text);
    }

    private const long MaxShownBytes = 4 * 1024 * 1024;

    /// <summary>Whether the datastore holds a run of <paramref name="flow"/> (false when it cannot be read).</summary>
    public bool HasRuns(string flow)
    {
        try
        {
            // A listing only (no run record is read): this is asked on every analysis of the document.
            return ClientContext.Wait(new Metadata.MetadataStore(datastore.Value).ListRunIdsAsync(flow)).Count > 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return false; // the step hovers say why the datastore cannot be read
        }
    }

    /// <summary>
    /// Per step with a known code hash: whether the flow's newest runs in the user's namespace ran this very code
    /// (<see cref="Execution.StepChanges"/>); empty when none of them recorded step code (or the datastore cannot be read).
    /// </summary>
    public async Task<IReadOnlyList<Execution.StepChange>> StepChangesAsync(string flow, IEnumerable<(string Step, string Code)> steps, CancellationToken cancellationToken)
    {
        IReadOnlyList<(string RunId, Metadata.RunFingerprints Fingerprints)> history;
        try
        {
            history = await Execution.StepChanges.ReadHistoryAsync(flow, datastore.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or UnauthorizedAccessException)
        {
            return []; // the datastore cannot be read: the step hovers say why (StepFacts)
        }
        return history.Count == 0 ? [] : [.. steps.Select(s => Execution.StepChanges.Compare(s.Step, s.Code, history))];
    }

    private Run? LatestRun(string flow) => new Flow(flow, ClientOptions.Global with { BlobStore = datastore.Value }).LatestRun;

    /// <summary>A datastore that cannot be read gives a hover line saying so, never a failed request.</summary>
    private static string Guarded(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or UnauthorizedAccessException)
        {
            return $"\n\n(latest run unavailable: {e.Message})";
        }
    }

    private static string ShortType(DataArtifact artifact) => artifact.TypeName.Split(", ")[0];

    private static string Preview(DataArtifact artifact)
    {
        string text;
        try
        {
            text = artifact.Size > 4096 ? $"({artifact.Size} bytes, not shown)" : System.Text.Json.JsonSerializer.Serialize(artifact.Value, artifact.Value?.GetType() ?? typeof(object));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            text = $"(unreadable: {e.GetType().Name}: {e.Message})"; // one artifact that cannot be shown never fails the hover
        }
        return text.Length > PreviewLength ? text[..PreviewLength] + "…" : text;
    }
}
