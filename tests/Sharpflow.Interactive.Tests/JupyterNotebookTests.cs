using System.Net;
using System.Text.Json.Nodes;
using Sharpflow.Tests;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// Every notebook of <c>notebooks/</c> executed top to bottom by an independent front end: Jupyter's
/// <c>nbconvert --execute</c> (nbclient) talking to the kernel tool over Jupyter's protocol, in a folder laid out like a
/// clone after the README's pack command. The outputs Jupyter stored in the executed notebook are what is checked.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class JupyterNotebookTests(PackedSharpflow packed)
{
    [Fact]
    public async Task EveryShippedNotebookExecutesTopToBottomInJupyter()
    {
        var jupyter = await JupyterSetup.CreateAsync(Path.Combine(packed.Root, "jupyter"));
        var clone = Directory.CreateDirectory(Path.Combine(packed.Root, "notebooks")).FullName;
        var names = Directory.GetFiles(ShippedNotebook.Folder, "*.ipynb").Select(p => Path.GetFileName(p)).Order().ToArray();
        Assert.Equal(4, names.Length);
        foreach (var name in names)
        {
            File.Copy(Path.Combine(ShippedNotebook.Folder, name), Path.Combine(clone, name));
        }

        foreach (var name in names)
        {
            var executed = Path.Combine(packed.Root, "executed-" + name);
            var convert = await ChildProcess.RunAsync(JupyterSetup.Jupyter, clone, jupyter.Environment, TimeSpan.FromMinutes(10),
                ["nbconvert", "--to", "notebook", "--execute", name, "--output", executed, "--ExecutePreprocessor.timeout=600"]);
            Assert.True(convert.ExitCode == 0, $"{name} did not execute:\n{convert.Stdout}\n{convert.Stderr}");
            var cells = ExecutedCell.Read(executed);
            foreach (var cell in cells.Where(c => c.IsCode))
            {
                Assert.True(cell.MeantToFail == cell.Errors.Any(), $"{name}, cell {cell.Id}: {(cell.MeantToFail ? "was meant to fail" : "failed")}:\n{cell.Source}\n{string.Join("\n", cell.Errors)}");
            }
            ExecutedCell Cell(string start) => cells.Single(c => c.IsCode && c.Source.TrimStart().StartsWith(start, StringComparison.Ordinal));
            ExecutedCell Exactly(string source) => cells.Single(c => c.IsCode && c.Source.Trim() == source);

            // The #r cell ran the package's extension script; every magic cell then shows the live view's last state and the run.
            Assert.Contains("interactive-extensions/dotnet/extension.dib", Cell("#r \"nuget: Sharpflow.Interactive").Text);
            switch (name)
            {
                case "01-getting-started.ipynb":
                    Assert.Matches("GreetingFlow \\d+ · succeeded", Cell("#!flow-run GreetingFlow").Text);
                    Assert.Contains("Run GreetingFlow/", Cell("#!flow-run GreetingFlow").Text);
                    Assert.Contains("Hello, Ada / Hola, Ada / Bonjour, Ada", Cell("var run = ").Text);
                    break;
                case "02-training-and-resume.ipynb":
                    Assert.Contains("thresholds above 0.65 are not supported yet", string.Join("\n", Cell("#!flow-run SweepFlow").Errors));
                    Assert.Matches("SweepFlow \\d+ · failed", Cell("#!flow-run SweepFlow").Text);
                    Assert.Matches("SweepFlow \\d+ · succeeded", Cell("#!flow-resume SweepFlow").Text);
                    Assert.Contains("Start was reused from the failed run", Cell("var resumed").Text);
                    var card = Cell("#!flow-card latest/Pick").Html.Single();
                    Assert.StartsWith("<iframe class=\"sf-card\"", card);
                    Assert.Contains("Plotly.newPlot", WebUtility.HtmlDecode(card));
                    Assert.DoesNotMatch("<script[^>]+src=\"https?:", WebUtility.HtmlDecode(card));
                    break;
                case "03-exploring-runs.ipynb":
                    Assert.Contains("Upto=10 Sum=55 tags=explore", Cell("var flow = ").Text);
                    Assert.Contains("class=\"dag\"", Exactly("#!flow-show CountFlow").Html.Single());
                    Assert.Contains("counting to 20", Cell("#!flow-logs").Text);
                    break;
                case "04-cells-as-steps.ipynb":
                    Assert.Contains("SpamFlow.fit: 4 task(s), succeeded", Cell("#!step fit").Text);
                    Assert.Matches("Run SpamFlow/\\d+\\s+Succeeded", Cell("#!flow-resume SpamFlow").Text);
                    Assert.True(File.Exists(Path.Combine(clone, "flows", "SpamFlow.cs")), "the export wrote the flow file");
                    break;
            }
        }
    }

    /// <summary>A cell of an executed notebook, with the outputs Jupyter stored.</summary>
    private sealed record ExecutedCell(string Id, bool IsCode, string Source, bool MeantToFail, IReadOnlyList<JsonObject> Outputs)
    {
        public IEnumerable<string> Errors => Outputs.Where(o => (string?)o["output_type"] == "error").Select(o => $"{o["ename"]}: {o["evalue"]}");

        public IEnumerable<string> Html => Outputs.Select(o => o["data"]?["text/html"]).OfType<JsonNode>().Select(Joined);

        /// <summary>What a reader sees: HTML as text, plain text, streams, errors.</summary>
        public string Text => string.Join("\n", Outputs.Select(o => o["data"]?["text/html"] is { } html ? CellResult.StripTags(Joined(html))
            : o["data"]?["text/plain"] is { } plain ? Joined(plain)
            : o["text"] is { } stream ? Joined(stream)
            : $"{o["ename"]}: {o["evalue"]}"));

        public static IReadOnlyList<ExecutedCell> Read(string path) => [.. JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().Select(c => new ExecutedCell(
            (string?)c!["id"] ?? "",
            (string?)c["cell_type"] == "code",
            Joined(c["source"]!),
            c["metadata"]?["tags"]?.AsArray().Any(t => (string?)t == ShippedNotebook.RaisesException) == true,
            c["outputs"]?.AsArray().Select(o => o!.AsObject()).ToArray() ?? []))];

        private static string Joined(JsonNode node) => node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";
    }
}
