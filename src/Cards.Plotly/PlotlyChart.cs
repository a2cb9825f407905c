using Plotly.NET;

namespace Sharpflow.Cards;

/// <summary>
/// A Plotly.NET chart (<see cref="GenericChart"/>, also as made with Plotly.NET.CSharp) in a card. plotly.js is inlined
/// once per card from the Plotly.NET package, so the card draws offline.
/// </summary>
public sealed class PlotlyChart(GenericChart chart) : ICardComponent
{
    private static readonly Lazy<string> PlotlyJs = new(LoadPlotlyJs);

    /// <inheritdoc />
    public void Render(CardWriter writer)
    {
        writer.Once("plotly.js", w => w.Trusted("<script>").Trusted(EscapeScript(PlotlyJs.Value)).Trusted("</script>"));
        writer.Trusted("<div class=\"chart\">").Trusted(EscapeChartHtml(GenericChart.toChartHTML(chart))).Trusted("</div>");
    }

    /// <summary>plotly.min.js as shipped inside the Plotly.NET assembly.</summary>
    private static string LoadPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The Plotly.NET package does not carry plotly.min.js; cards cannot draw charts offline.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Keeps a script body from closing its own tag: <c>&lt;/</c> becomes <c>&lt;\/</c>, the same in JavaScript.</summary>
    private static string EscapeScript(string script) => script
        .Replace("</", "<\\/", StringComparison.Ordinal)
        .Replace("<!--", "<\\!--", StringComparison.Ordinal)
        .Replace("<script", "<\\script", StringComparison.OrdinalIgnoreCase);

    /// <summary>Escapes the chart's script body (its data holds user strings) so nothing in it can end the script early.</summary>
    private static string EscapeChartHtml(string html)
    {
        var open = html.IndexOf("<script", StringComparison.Ordinal);
        var bodyStart = open < 0 ? -1 : html.IndexOf('>', open) + 1;
        var close = html.LastIndexOf("</script>", StringComparison.Ordinal);
        return bodyStart <= 0 || close < bodyStart
            ? html
            : html[..bodyStart] + EscapeScript(html[bodyStart..close]) + html[close..];
    }
}
