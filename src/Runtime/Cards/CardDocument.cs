using System.Globalization;
using Sharpflow.Metadata;

namespace Sharpflow.Cards;

/// <summary>
/// Renders a card as one self-contained HTML file: styles embedded, no external references, every value from an
/// artifact, a log or a user string escaped.
/// </summary>
internal static class CardDocument
{
    private const int TailLines = 40;

    private const string Style = """
        body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1d2330;background:#fff;max-width:1100px}
        h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #e3e6ee;padding-bottom:4px} h3{font-size:14px;margin:16px 0 6px}
        .meta{color:#5a6275;font-size:13px} .badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600}
        .Succeeded{background:#dff5e3;color:#17652a} .Failed{background:#fde2e1;color:#a11d1a} .Running{background:#e4ecfd;color:#1f47a8} .Cancelled{background:#eee;color:#555}
        table.data{border-collapse:collapse;font-size:13px;margin:6px 0} table.data th,table.data td{border:1px solid #e3e6ee;padding:4px 8px;text-align:left;vertical-align:top}
        table.data th{background:#f5f7fb} table.data td{max-width:520px;overflow-wrap:anywhere} td.num{text-align:right;font-variant-numeric:tabular-nums}
        pre{background:#f5f7fb;padding:8px;border-radius:4px;font-size:12px;overflow:auto;max-height:360px;white-space:pre-wrap}
        .note{color:#5a6275;font-size:12px} .error{border-left:4px solid #c62828;background:#fdf1f0;padding:8px 12px;margin:8px 0}
        figure{margin:8px 0} figure img{max-width:100%} figcaption{font-size:12px;color:#5a6275}
        .tags{margin-top:4px} .tag{display:inline-block;background:#eef1f6;color:#3c4456;border-radius:8px;padding:0 7px;font-size:11px}
        """;

    public static string Render(CardPage page)
    {
        var task = page.Task;
        var writer = new CardWriter();
        writer.Trusted("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Text($"{task.FlowName}/{task.RunId}/{task.StepName}/{task.TaskId}")
            .Trusted("</title><style>").Trusted(Style).Trusted(Graph.GraphSvgRenderer.Style).Trusted("</style></head><body>");
        writer.Trusted("<header>").Element("h1", $"{task.FlowName} / {task.StepName} / task {task.TaskId}")
            .Trusted("<div class=\"meta\">")
            .Element("span", task.Status.ToString(), $"badge {task.Status}")
            .Text($" run {task.RunId} · attempt {task.Attempt} · started {task.StartedAt:u}")
            .Text(task.FinishedAt is { } end ? $" · {(end - task.StartedAt).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s" : " · running")
            .Text($" · {task.Host}{(page.Final ? "" : " · updating")}");
        // Where the task stands in its foreach (item 3 of 6 of Candidates), and its earlier attempts.
        foreach (var split in task.Splits.Where(s => s.Kind == Graph.TransitionKind.Foreach))
        {
            writer.Text($" · item {split.Index + 1} of {split.Count} of {split.Variable}");
        }
        if (task.Attempt > 0)
        {
            writer.Text($" · {task.Attempt} earlier attempt{(task.Attempt == 1 ? "" : "s")} failed (see logs --attempt N)");
        }
        writer.Trusted("</div>");
        if (page.Tags.Count > 0)
        {
            writer.Trusted("<div class=\"meta tags\">");
            foreach (var tag in page.Tags)
            {
                writer.Element("span", tag, "tag").Text(" ");
            }
            writer.Trusted("</div>");
        }
        writer.Trusted("</header>");

        if (page.Components.Count > 0)
        {
            writer.Trusted("<section class=\"components\">");
            foreach (var component in page.Components)
            {
                try
                {
                    component.Render(writer);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    ErrorView.Of(e).Render(writer); // one broken component does not lose the card
                }
            }
            writer.Trusted("</section>");
        }
        if (page.CardType != "blank")
        {
            WriteDefaultSections(writer, page);
        }
        writer.Trusted("</body></html>");
        return writer.ToString();
    }

    private static void WriteDefaultSections(CardWriter writer, CardPage page)
    {
        var task = page.Task;
        if (task.Exception is { } exception)
        {
            writer.Element("h2", "Error");
            new ErrorView(exception.Type, exception.Message, exception.ReadableTrace).Render(writer);
        }
        if (page.Parameters.Count > 0 || page.Configs.Count > 0)
        {
            writer.Element("h2", "Parameters and configs");
            new Table(["name", "value"], page.Parameters.Select(p => (IReadOnlyList<object?>)[p.Key, p.Value])
                .Concat(page.Configs.Select(c => (IReadOnlyList<object?>)[$"config {c.Key} ({c.Value.Source})", c.Value.Json]))).Render(writer);
        }
        writer.Element("h2", $"Artifacts ({page.Artifacts.Count})");
        new Table(["name", "type", "size", "preview"], page.Artifacts.Select(a => (IReadOnlyList<object?>)
            [a.Name, Artifacts.TypeNames.Friendly(a.TypeName), a.Size is { } size ? FormatSize(size) : "-", Format.Value(a.Value, 120)])).Render(writer);
        foreach (var artifact in page.Artifacts.Where(a => a.Value is System.Collections.IEnumerable and not string and not Array { Rank: 1 } && a.Value.GetType() is { IsGenericType: true }))
        {
            new ArtifactView(artifact.Name, artifact.Value, 10).Render(writer);
        }
        writer.Element("h2", "Flow");
        writer.Trusted(page.DagSvg);
        WriteLog(writer, "Output (stdout)", page.Stdout);
        WriteLog(writer, "Errors (stderr)", page.Stderr);
    }

    private static void WriteLog(CardWriter writer, string title, string log)
    {
        if (log.Length == 0)
        {
            return;
        }
        var lines = log.Split('\n');
        writer.Element("h2", title);
        writer.Element("pre", string.Join('\n', lines.TakeLast(TailLines)));
        if (lines.Length > TailLines)
        {
            writer.Element("p", $"The last {TailLines} of {lines.Length} lines; `logs` prints all of them.", "note");
        }
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
    };
}
