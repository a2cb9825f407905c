using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Sharpflow.Graph;

/// <summary>
/// Draws a flow graph as a self-contained SVG: one box per step, layered from Start, colored by status. A step a foreach
/// fans out to is a stack of boxes, its edge labeled with the list it goes over, and its task count (×N) when known.
/// </summary>
public static partial class GraphSvgRenderer
{
    /// <summary>The CSS that colors a drawn graph's steps by status (pending, ran, succeeded, failed, running, current).</summary>
    public const string Style = "svg.dag rect{fill:#f5f7fb;stroke:#9aa3b5} svg.dag text{font-size:12px;fill:#1d2330} "
        + "svg.dag .succeeded rect,svg.dag .ran rect{fill:#dff5e3;stroke:#2e8b45} svg.dag .failed rect{fill:#fde2e1;stroke:#c62828} "
        + "svg.dag .running rect{fill:#e4ecfd;stroke:#1f47a8} svg.dag .current rect{stroke-width:3}";

    private const int BoxWidth = 140;
    private const int BoxHeight = 34;
    private const int ColumnGap = 30;
    private const int RowGap = 46;

    /// <summary>
    /// The SVG markup; <paramref name="statusOf"/> gives a CSS status word per step (e.g. succeeded, failed, running,
    /// pending), <paramref name="tasksOf"/> how many tasks a step has had (0 or null when not known).
    /// </summary>
    public static string Render(FlowGraph graph, Func<string, string> statusOf, Func<string, int>? tasksOf = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var levels = Levels(graph);
        var rows = levels.GroupBy(p => p.Value).OrderBy(g => g.Key).Select(g => g.Select(p => p.Key).ToArray()).ToArray();
        var widest = rows.Length == 0 ? 1 : rows.Max(r => r.Length);
        var layoutWidth = (widest * (BoxWidth + ColumnGap)) + ColumnGap;
        // Room on the right for the label of a foreach edge ("for each of Candidates", about 7 px a character).
        var foreachLabel = graph.Steps.Where(s => s.Transition is { Kind: TransitionKind.Foreach }).Select(s => "for each of ".Length + (s.Transition!.ForeachVariable?.Length ?? 0)).DefaultIfEmpty().Max();
        var width = Math.Max(layoutWidth, foreachLabel == 0 ? 0 : (layoutWidth / 2) + (BoxWidth / 2) + 12 + (foreachLabel * 7));
        var height = (rows.Length * (BoxHeight + RowGap)) + RowGap;
        var position = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Length; r++)
        {
            var offset = (layoutWidth - (rows[r].Length * (BoxWidth + ColumnGap)) + ColumnGap) / 2;
            for (var c = 0; c < rows[r].Length; c++)
            {
                position[rows[r][c]] = (offset + (c * (BoxWidth + ColumnGap)), RowGap / 2 + (r * (BoxHeight + RowGap)));
            }
        }

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dag\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#667\"/></marker></defs>");
        foreach (var step in graph.Steps.Where(s => position.ContainsKey(s.Name)))
        {
            var (x1, y1) = position[step.Name];
            foreach (var target in step.OutSteps.Where(position.ContainsKey))
            {
                var (x2, y2) = position[target];
                var back = y2 <= y1;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<path class=\"edge{(back ? " loop" : "")}\" d=\"M{x1 + (BoxWidth / 2)},{y1 + BoxHeight} {(back ? $"C{x1 + BoxWidth + 40},{y1 + BoxHeight + 30} {x2 + BoxWidth + 40},{y2 - 30}" : "L")} {x2 + (BoxWidth / 2)},{y2}\" fill=\"none\" stroke=\"#667\" marker-end=\"url(#arrow)\"/>");
                if (step.Transition is { Kind: TransitionKind.Foreach, ForeachVariable: { } list } && !back)
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<text class=\"foreach\" x=\"{((x1 + x2) / 2) + (BoxWidth / 2) + 6}\" y=\"{(y1 + BoxHeight + y2) / 2 + 4}\" font-size=\"11\" fill=\"#556\">for each of {WebUtility.HtmlEncode(list)}</text>");
                }
            }
        }
        var fannedOut = graph.Steps.Where(s => s.Transition is { Kind: TransitionKind.Foreach }).Select(s => s.Transition!.Targets[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, (x, y)) in position)
        {
            var status = WebUtility.HtmlEncode(statusOf(name));
            var tasks = tasksOf?.Invoke(name) ?? 0;
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"step {status}{(fannedOut.Contains(name) ? " fanout" : "")}\" data-step=\"{WebUtility.HtmlEncode(name)}\">");
            if (fannedOut.Contains(name))
            {
                // a stack of boxes: one task per item
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 8}\" y=\"{y - 8}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\"/><rect x=\"{x + 4}\" y=\"{y - 4}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\"/>");
            }
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\"/>"
                + $"<text x=\"{x + (BoxWidth / 2)}\" y=\"{y + 21}\" text-anchor=\"middle\">{Label(name, tasks, fannedOut.Contains(name))}</text><title>{Title(name, status, tasks)}</title></g>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// A graph drawn earlier with each step's status and task count set anew (an editor draws a flow's graph from code it
    /// has since unloaded, then colors it by a run as the run goes on).
    /// </summary>
    public static string Restyle(string svg, Func<string, string> statusOf, Func<string, int>? tasksOf = null)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentNullException.ThrowIfNull(statusOf);
        return StepGroup().Replace(svg, group =>
        {
            var name = WebUtility.HtmlDecode(group.Groups["name"].Value);
            var fanout = group.Groups["fanout"].Success;
            var status = WebUtility.HtmlEncode(statusOf(name));
            var tasks = tasksOf?.Invoke(name) ?? 0;
            var body = StepText().Replace(group.Groups["body"].Value, text => $"{text.Groups["open"].Value}{Label(name, tasks, fanout)}</text><title>{Title(name, status, tasks)}</title>", 1);
            return $"<g class=\"step {status}{(fanout ? " fanout" : "")}\" data-step=\"{group.Groups["name"].Value}\">{body}</g>";
        });
    }

    /// <summary>A step's box label: its name, and ×N when it ran several tasks (or is a foreach's body).</summary>
    private static string Label(string name, int tasks, bool fannedOut) =>
        WebUtility.HtmlEncode(name) + (tasks > 1 || (tasks == 1 && fannedOut) ? $" ×{tasks.ToString(CultureInfo.InvariantCulture)}" : "");

    /// <summary>A step's tooltip: name, status (already encoded) and task count.</summary>
    private static string Title(string name, string status, int tasks) =>
        $"{WebUtility.HtmlEncode(name)}: {status}{(tasks > 0 ? $", {tasks} task{(tasks == 1 ? "" : "s")}" : "")}";

    [GeneratedRegex("<g class=\"step (?<status>[^\"]*?)(?<fanout> fanout)?\" data-step=\"(?<name>[^\"]+)\">(?<body>.*?)</g>", RegexOptions.Singleline)]
    private static partial Regex StepGroup();

    [GeneratedRegex("(?<open><text [^>]*>)[^<]*</text><title>[^<]*</title>")]
    private static partial Regex StepText();

    /// <summary>Each reachable step's depth from Start along forward edges (loops do not push steps down).</summary>
    private static Dictionary<string, int> Levels(FlowGraph graph)
    {
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        if (graph.StartStep is not { } start)
        {
            return levels;
        }
        var queue = new Queue<string>([start.Name]);
        levels[start.Name] = 0;
        while (queue.TryDequeue(out var name))
        {
            foreach (var next in graph.Find(name)?.OutSteps ?? [])
            {
                if (!levels.ContainsKey(next) && graph.Find(next) is not null)
                {
                    levels[next] = levels[name] + 1;
                    queue.Enqueue(next);
                }
            }
        }
        return levels;
    }
}
