using System.Globalization;
using System.Net;
using System.Text;

namespace Sharpflow.Graph;

/// <summary>Draws a flow graph as a self-contained SVG: one box per step, layered from Start, colored by status.</summary>
public static class GraphSvgRenderer
{
    private const int BoxWidth = 140;
    private const int BoxHeight = 34;
    private const int ColumnGap = 30;
    private const int RowGap = 46;

    /// <summary>The SVG markup; <paramref name="statusOf"/> gives a CSS status word per step (e.g. succeeded, failed, running, pending).</summary>
    public static string Render(FlowGraph graph, Func<string, string> statusOf)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var levels = Levels(graph);
        var rows = levels.GroupBy(p => p.Value).OrderBy(g => g.Key).Select(g => g.Select(p => p.Key).ToArray()).ToArray();
        var widest = rows.Length == 0 ? 1 : rows.Max(r => r.Length);
        var width = (widest * (BoxWidth + ColumnGap)) + ColumnGap;
        var height = (rows.Length * (BoxHeight + RowGap)) + RowGap;
        var position = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Length; r++)
        {
            var offset = (width - (rows[r].Length * (BoxWidth + ColumnGap)) + ColumnGap) / 2;
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
            }
        }
        foreach (var (name, (x, y)) in position)
        {
            var status = WebUtility.HtmlEncode(statusOf(name));
            svg.Append(CultureInfo.InvariantCulture,
                $"<g class=\"step {status}\" data-step=\"{WebUtility.HtmlEncode(name)}\"><rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\"/>"
                + $"<text x=\"{x + (BoxWidth / 2)}\" y=\"{y + 21}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(name)}</text><title>{WebUtility.HtmlEncode(name)}: {status}</title></g>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

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
