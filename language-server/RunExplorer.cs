using System.Globalization;
using Sharpflow.Artifacts;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.LanguageServer;

/// <summary>Which level of the runs view <c>sharpflow/runTree</c> is asked for: the fields given pick it (none: flows; a flow: its runs; ... a task: its artifacts).</summary>
internal sealed record RunTreeRequest(string? Flow = null, string? Run = null, string? Step = null, string? Task = null, string? Namespace = null, string? Tag = null);

/// <summary>Which task <c>sharpflow/card</c> is asked for.</summary>
internal sealed record CardRequest(string Flow, string Run, string Step, string Task);

/// <summary>A task's first card, as HTML.</summary>
internal sealed record CardContent(string Title, string Html);

/// <summary>A flow's graph as HTML, colored by a run when one is named (its id and status, and whether it is still running).</summary>
internal sealed record GraphView(string Flow, string Html, string? Run, string? Status, bool Active);

/// <summary>
/// One row of the runs view: what it is (<c>flow</c>, <c>run</c>, <c>step</c>, <c>task</c>, <c>artifact</c>), the
/// words it shows, its status (runs and tasks), where it is, and for a flow whether one of its runs is still running.
/// </summary>
internal sealed record RunTreeItem(string Kind, string Label, string? Description, string? Tooltip, string? Status, string Flow,
    string? Run = null, string? Step = null, string? Task = null, string? Artifact = null, bool HasCard = false, bool Active = false);

/// <summary>
/// The runs view's rows, read through the Client API from the datastore the editor names (a folder or <c>s3://</c>,
/// opened once and shared with the hovers' <see cref="RunFacts"/>); so the view shows what the CLI and notebooks show, crashed runs included, from any datastore.
/// </summary>
internal sealed class RunExplorer(Lazy<IBlobStore> datastore)
{
    private readonly Lazy<IBlobStore> _store = datastore;

    /// <summary>The rows below the one the request names.</summary>
    public IReadOnlyList<RunTreeItem> Children(RunTreeRequest request)
    {
        var options = new ClientOptions { BlobStore = _store.Value, Namespace = request.Namespace };
        if (request.Flow is not { } flowName)
        {
            return Flow.All(options).Select(f => (Flow: f, Runs: f.Runs.ToArray()))
                .Where(f => f.Runs.Length > 0)
                .OrderBy(f => f.Flow.Name, StringComparer.Ordinal)
                .Select(f => new RunTreeItem("flow", f.Flow.Name, null, null, null, f.Flow.Name, Active: f.Runs.Any(r => r.Status == RunStatus.Running)))
                .ToArray();
        }
        var flow = new Flow(flowName, options);
        if (request.Run is not { } runId)
        {
            return flow.Runs.Where(r => request.Tag is null || r.Tags.Contains(request.Tag)).Select(r => new RunTreeItem("run", r.Id,
                string.Join(" · ", new[] { r.Status.ToString().ToLowerInvariant(), Duration(r) }.Concat(r.UserTags)),
                string.Join(", ", r.Tags), r.Status.ToString(), flowName, r.Id)).ToArray();
        }
        var run = flow[runId];
        if (request.Step is not { } stepName)
        {
            return run.Steps.Select(s => new RunTreeItem("step", s.Name, $"{s.Tasks.Count} task(s)", null, null, flowName, runId, s.Name)).ToArray();
        }
        if (request.Task is not { } taskId)
        {
            return run[stepName].Tasks.Select(t => new RunTreeItem("task", $"task {t.Id}",
                string.Join(" · ", new[] { t.Status.ToString().ToLowerInvariant() }
                    .Concat(t.ForeachIndexPath.Length > 0 ? [$"foreach {t.ForeachIndexPath}"] : [])
                    .Concat(t.Attempt > 0 ? [$"attempt {t.Attempt}"] : [])
                    .Concat(t.Reused ? ["reused"] : [])),
                t.Reused ? $"{t.Pathspec}, reused from {t.Origin} (same code and inputs)" : t.Pathspec, t.Status.ToString(), flowName, runId, stepName, t.Id, HasCard: t.Cards.Count > 0)).ToArray();
        }
        var task = run[stepName][taskId];
        return task.Artifacts.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => new RunTreeItem("artifact", a.Name,
            $"{TypeNames.Friendly(a.TypeName)} · {a.Size} bytes", a.Pathspec, null, flowName, runId, stepName, taskId, a.Name)).ToArray();
    }

    /// <summary>The task's first card, or null when it has none.</summary>
    public CardContent? Card(CardRequest request)
    {
        var task = new Flow(request.Flow, new ClientOptions { BlobStore = _store.Value, Namespace = null })[request.Run][request.Step][request.Task];
        return task.Cards.FirstOrDefault() is { } card ? new CardContent($"{request.Step}/{request.Task}", card.Html) : null;
    }

    /// <summary>
    /// The flow's graph (drawn from the editor's code) with each step colored by a run's tasks, <c>latest</c> being the
    /// flow's latest run; uncolored when the flow has no such run yet.
    /// </summary>
    public GraphView Graph(string flowName, string run, string svg)
    {
        var flow = new Flow(flowName, new ClientOptions { BlobStore = _store.Value, Namespace = null });
        var chosen = run == "latest" ? flow.LatestRun : flow[run];
        if (chosen is null)
        {
            return new GraphView(flowName, $"<style>{GraphSvgRenderer.Style}</style>{svg}", null, null, false);
        }
        var steps = chosen.Steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var colored = GraphSvgRenderer.Restyle(svg,
            name => steps.TryGetValue(name, out var step) ? Formatting.NotebookViews.StepStatus(step) : "pending",
            name => steps.TryGetValue(name, out var step) ? step.Tasks.Count : 0);
        return new GraphView(flowName, $"<style>{GraphSvgRenderer.Style}</style>{colored}", chosen.Id, chosen.Status.ToString(), chosen.Status == RunStatus.Running);
    }

    /// <summary>How long a run took, or has been running: "1.2 s", "3 min".</summary>
    private static string Duration(Run run)
    {
        var elapsed = (run.FinishedAt ?? (run.Status == RunStatus.Running ? DateTimeOffset.UtcNow : run.LastSeen)) - run.CreatedAt;
        return elapsed.TotalSeconds < 60 ? elapsed.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture) : $"{Math.Round(elapsed.TotalMinutes)} min";
    }
}
