using System.Net;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// Every notebook of <c>notebooks/</c>, cell by cell, in the real kernel with Sharpflow loaded from its package as the
/// notebook itself loads it. A cell fails only when the notebook tags it <c>raises-exception</c>; runs show one live view
/// updated in place, then their summary; what each notebook is about is checked on the values its cells show.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ShippedNotebookTests(PackedSharpflow packed)
{
    [Theory]
    [MemberData(nameof(ShippedNotebook.All), MemberType = typeof(ShippedNotebook))]
    public async Task EveryCellRunsInTheRealKernel(string name)
    {
        var notebook = ShippedNotebook.Read(name);
        using var session = NotebookSession.Open(packed, name);
        var results = new List<(NotebookCell Cell, CellResult Result)>();
        foreach (var cell in notebook.Cells)
        {
            var result = await session.RunAsync(cell.Code);
            if (cell.MeantToFail)
            {
                result.FailedWith();
                Assert.NotEmpty(result.DisplayedHtml); // a failed run still shows its summary
            }
            else
            {
                result.Succeeded();
            }
            CheckMagic(cell.Code, result);
            results.Add((cell, result));
        }

        CellResult Cell(string codeStart) => results.Single(r => r.Cell.Code.TrimStart().StartsWith(codeStart, StringComparison.Ordinal)).Result;
        CellResult Exactly(string code) => results.Single(r => r.Cell.Code.Trim() == code).Result;
        switch (name)
        {
            case "01-getting-started.ipynb":
                Assert.Contains("Hello, Ada / Hola, Ada / Bonjour, Ada", Cell("var run = ").Text);
                Assert.Contains("1: Hola, Ada", Cell("foreach (var task").Text);
                Assert.Contains("Hola, Ada", Cell("#!flow-run GreetingFlow").LiveView()); // the tasks' output, live
                break;
            case "02-training-and-resume.ipynb":
                Assert.Contains("thresholds above 0.65 are not supported yet", Cell("#!flow-run SweepFlow").FailedWith());
                Assert.Contains("Start was reused from the failed run", Cell("var resumed").Text);
                var resumed = Cell("#!flow-resume SweepFlow").DisplayedHtml;
                Assert.Contains("Run SweepFlow/", resumed[1]);
                ChartCard(resumed[2]); // below the summary, inline
                ChartCard(Cell("#!flow-card latest/Pick").DisplayedHtml.Single());
                Assert.Contains("Evaluate", Cell("#!flow-spin SweepFlow").DisplayedHtml[1]);
                break;
            case "03-exploring-runs.ipynb":
                Assert.Contains("Upto=10 Sum=55 tags=explore", Cell("var flow = ").Text);
                Assert.Contains("Numbers (List<int>", Cell("display(flow.RunsTagged").Text);
                Assert.Contains("class=\"dag\"", Exactly("#!flow-show CountFlow").DisplayedHtml.Single());
                Assert.Contains("Run CountFlow/", Cell("#!flow-show CountFlow/latest").Text);
                Assert.Contains("counting to 20", Cell("#!flow-logs CountFlow/latest/Start").Text);
                break;
            case "04-cells-as-steps.ipynb":
                Assert.Contains("parameters: --seed", Cell("#!flow-define SpamFlow").Text);
                Assert.Contains("SpamFlow.fit: 4 task(s), succeeded; inputs from run", Cell("#!step fit").Text);
                Assert.Contains("best threshold: 3 marks", Cell("#!step end").Text);
                var exported = File.ReadAllText(Path.Combine(session.Folder, "flows", "SpamFlow.cs"));
                Assert.Contains("#:package Sharpflow@", exported);
                Assert.Contains("return await FlowMain.RunAsync<SpamFlow>(args);", exported);
                break;
        }
    }

    /// <summary>Runs and step cells show a live view, then the run's summary (a step cell: its tasks).</summary>
    private static void CheckMagic(string code, CellResult result)
    {
        var magic = code.TrimStart().Split([' ', '\n'], 2)[0];
        if (magic is "#!flow-run" or "#!flow-resume" or "#!flow-spin")
        {
            result.LiveView();
            Assert.Contains("<h3>Run ", result.DisplayedHtml[1]);
        }
        else if (magic == "#!step")
        {
            result.LiveView();
            Assert.Matches(@"\.\w+ *: \d+ task\(s\), (succeeded|failed)", CellResult.StripTags(result.DisplayedHtml[1]));
        }
    }

    /// <summary>A Plotly chart card inline: a sandboxed frame whose document carries plotly.js itself (no CDN) and draws a chart.</summary>
    private static void ChartCard(string html)
    {
        Assert.StartsWith("<iframe class=\"sf-card\" sandbox=\"allow-scripts\"", html);
        var document = WebUtility.HtmlDecode(html);
        Assert.Contains("Plotly.newPlot", document);
        Assert.Contains("plotly.js", document);
        Assert.DoesNotMatch("<script[^>]+src=\"https?:", document);
    }
}
