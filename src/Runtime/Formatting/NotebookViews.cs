using System.Globalization;
using System.Net;
using Sharpflow.Cards;
using Sharpflow.Client;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Formatting;

/// <summary>HTML fragments that show runs, steps, tasks, artifacts, graphs and cards in a notebook; every value is escaped.</summary>
public static class NotebookViews
{
    private const string Style = "<style>.sf{font-family:system-ui,sans-serif;font-size:13px}.sf table{border-collapse:collapse}.sf td,.sf th{border:1px solid #ddd;padding:3px 8px;text-align:left}"
        + ".sf .Succeeded{color:#17652a}.sf .Failed{color:#a11d1a}.sf .Running{color:#1f47a8}" + GraphSvgRenderer.Style + "</style>";

    /// <summary>A run: status, duration, DAG with each step's status, per-step timings, the end step's artifacts and links to cards.</summary>
    public static string Run(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var steps = run.Steps;
        var writer = Open($"Run {run.Pathspec}");
        writer.Trusted("<p>").Element("b", run.Status.ToString(), run.Status.ToString())
            .Text($" · started {run.CreatedAt:u}{(run.FinishedAt is { } end ? $" · {Seconds(end - run.CreatedAt)}" : " · running")} · {run.User}")
            .Trusted("</p>");
        if (run.Error is { } error)
        {
            new ErrorView("Run failed", error).Render(writer);
            var failed = run.Record.FailedTask is { } failedTask ? steps.FirstOrDefault(s => s.Name == failedTask.Split('/')[0])?.Tasks.FirstOrDefault(t => t.Id == failedTask.Split('/')[1]) : null;
            var tail = failed is null ? "" : string.Join('\n', (failed.Stdout + failed.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
            if (tail.Length > 0)
            {
                writer.Element("h4", $"Last output of {failed!.Step.Name}/{failed.Id}").Element("pre", tail);
            }
        }
        var statuses = steps.ToDictionary(s => s.Name, s => StepStatus(s));
        if (TryGraph(run.FlowName) is { } graph)
        {
            var counts = steps.ToDictionary(s => s.Name, s => s.Tasks.Count, StringComparer.Ordinal);
            writer.Trusted(GraphSvgRenderer.Render(graph, name => statuses.GetValueOrDefault(name, "pending"), name => counts.GetValueOrDefault(name)));
        }
        new Table(["step", "tasks", "status", "longest task"], steps.Select(s => (IReadOnlyList<object?>)
            [s.Name, s.Tasks.Count, statuses[s.Name], Seconds(s.Tasks.Select(t => t.Duration ?? TimeSpan.Zero).DefaultIfEmpty().Max())])).Render(writer);
        if (run.EndTask is { } endTask)
        {
            writer.Element("h4", "Artifacts of the end step");
            ArtifactTable(writer, endTask);
        }
        var cards = steps.SelectMany(s => s.Tasks.Take(3)).SelectMany(t => t.Cards.Select(c => (t, c))).ToArray();
        if (cards.Length > 0)
        {
            writer.Element("h4", "Cards");
            foreach (var (task, card) in cards)
            {
                writer.Trusted("<div>").Text($"{task.Step.Name}/{task.Id} · {card.Id}: ").Element("code", $"#!flow-card {task.Pathspec}").Trusted("</div>");
            }
        }
        return Close(writer);
    }

    /// <summary>A step: its tasks with status, timing and foreach position.</summary>
    public static string Step(Step step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var writer = Open($"Step {step.Pathspec}");
        new Table(["task", "status", "foreach", "duration", "attempt", "origin"], step.Tasks.Select(t => (IReadOnlyList<object?>)
            [t.Id, t.Status.ToString(), t.ForeachIndexPath, Seconds(t.Duration ?? TimeSpan.Zero), t.Attempt, t.Reused ? $"reused {t.Origin}" : t.Origin ?? ""])).Render(writer);
        return Close(writer);
    }

    /// <summary>A task: status, timing, host, exception, artifacts and the tail of its output.</summary>
    public static string Task(FlowTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var writer = Open($"Task {task.Pathspec}");
        writer.Trusted("<p>").Element("b", task.Status.ToString(), task.Status.ToString())
            .Text($" · {Seconds(task.Duration ?? TimeSpan.Zero)} · attempt {task.Attempt} · {task.Host}{(task.ForeachIndexPath.Length > 0 ? $" · foreach {task.ForeachIndexPath}" : "")}")
            .Text(task.Reused ? $" · reused {task.Origin} (same code and inputs)" : "")
            .Trusted("</p>");
        if (task.Exception is { } exception)
        {
            new ErrorView(exception.Type, exception.Message, exception.ReadableTrace).Render(writer);
        }
        ArtifactTable(writer, task);
        var stdout = task.Stdout;
        if (stdout.Length > 0)
        {
            writer.Element("h4", "stdout (last lines)").Element("pre", string.Join('\n', stdout.Split('\n').TakeLast(20)));
        }
        return Close(writer);
    }

    /// <summary>An artifact's value: collections and data frames as tables, other values pretty-printed.</summary>
    public static string Artifact(DataArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var writer = Open(null);
        new ArtifactView($"{artifact.Name} ({Artifacts.TypeNames.Friendly(artifact.TypeName)}, {artifact.Size} bytes)", artifact.Value).Render(writer);
        return Close(writer);
    }

    /// <summary>A flow graph as SVG.</summary>
    public static string Graph(FlowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var writer = Open($"Flow {graph.FlowName}");
        writer.Trusted(GraphSvgRenderer.Render(graph, _ => "pending"));
        return Close(writer);
    }

    /// <summary>A flow's recent runs.</summary>
    public static string Flow(Flow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var writer = Open($"Flow {flow.Name}");
        new Table(["run", "status", "started", "duration", "tags"], flow.Runs.Take(20).Select(r => (IReadOnlyList<object?>)
            [r.Id, r.Status.ToString(), r.CreatedAt.ToString("u", CultureInfo.InvariantCulture), r.FinishedAt is { } f ? Seconds(f - r.CreatedAt) : "running", string.Join(", ", r.UserTags)])).Render(writer);
        return Close(writer);
    }

    /// <summary>A card inline: its self-contained document in a sandboxed frame, so its styles and scripts stay inside.</summary>
    public static string Card(TaskCardFile card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return $"<iframe class=\"sf-card\" sandbox=\"allow-scripts\" style=\"width:100%;height:720px;border:1px solid #ddd\" srcdoc=\"{WebUtility.HtmlEncode(card.Html)}\"></iframe>";
    }

    internal static string StepStatus(Step step) => step.Tasks switch
    {
        { Count: 0 } => "pending",
        var tasks when tasks.Any(t => t.Status == RunStatus.Failed) => "failed",
        var tasks when tasks.Any(t => t.Status == RunStatus.Running) => "running",
        _ => "succeeded",
    };

    private static void ArtifactTable(CardWriter writer, FlowTask task) =>
        new Table(["artifact", "type", "size", "value"], task.Artifacts.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => (IReadOnlyList<object?>)
            [a.Name, Artifacts.TypeNames.Friendly(a.TypeName), a.Size, Preview(a)])).Render(writer);

    private static string Preview(DataArtifact artifact)
    {
        try
        {
            return artifact.Size > 1 << 20 ? "(large; display the artifact to see it)" : Format.Value(artifact.Value, 120);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"(cannot be read here: {e.Message})";
        }
    }

    private static FlowGraph? TryGraph(string flowName) => LoadedFlows.Find(flowName) is { } type ? FlowGraphExtractor.Extract(type) : null;

    private static CardWriter Open(string? title)
    {
        var writer = new CardWriter().Trusted(Style).Trusted("<div class=\"sf\">");
        if (title is not null)
        {
            writer.Element("h3", title);
        }
        return writer;
    }

    private static string Close(CardWriter writer) => writer.Trusted("</div>").ToString();

    private static string Seconds(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###} s");
}
