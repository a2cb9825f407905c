using Sharpflow.Tests;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// A notebook in the Jupyter Notebook web UI, in Debian's Chromium driven by Playwright (<c>tests/jupyter-browser</c>):
/// Run All shows each run's live view in its final state and the resumed run's Plotly card inline, drawn. The screenshot
/// goes next to the test assembly (<c>jupyter-screenshots/</c>); with SHARPFLOW_UPDATE_NOTEBOOK_SCREENSHOT set, it is
/// also copied there (the README's picture is <c>docs/notebook-jupyter.png</c>).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class JupyterBrowserTests(PackedSharpflow packed)
{
    private const string Notebook = "02-training-and-resume.ipynb";

    [Fact]
    public async Task RunAllInTheJupyterWebUiShowsTheLiveViewAndTheChartCard()
    {
        var jupyter = await JupyterSetup.CreateAsync(Path.Combine(packed.Root, "jupyter"));
        var scripts = Path.Combine(ChildProcess.RepositoryRoot(), "tests", "jupyter-browser");
        await ChildProcess.EnsureNpmPackagesAsync(scripts, "playwright-core");
        var clone = Directory.CreateDirectory(Path.Combine(packed.Root, "browser", "notebooks")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(packed.Root, "browser", "artifacts"), Path.Combine(packed.Root, "artifacts"));
        File.Copy(Path.Combine(ShippedNotebook.Folder, Notebook), Path.Combine(clone, Notebook));
        var screenshot = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "jupyter-screenshots")).FullName, "02-training-and-resume.png");
        File.Delete(screenshot);

        await using (var server = await JupyterNotebookServer.StartAsync(jupyter, clone))
        {
            var scenario = await ChildProcess.RunAsync("node", scripts, new Dictionary<string, string>
            {
                ["JUPYTER_URL"] = server.Url,
                ["JUPYTER_TOKEN"] = server.Token,
                ["NOTEBOOK"] = Notebook,
                ["RESUME_CELL"] = "#!flow-resume SweepFlow",
                ["SCREENSHOT"] = screenshot,
                ["CHROMIUM"] = "/usr/bin/chromium",
            }, TimeSpan.FromMinutes(12), "notebook.mjs");
            Assert.True(scenario.ExitCode == 0, $"notebook.mjs failed:\n{scenario.Stdout}\n{scenario.Stderr}");
            var seen = System.Text.Json.JsonDocument.Parse(scenario.Stdout.Trim().Split('\n')[^1]).RootElement;
            Assert.Matches("SweepFlow \\d+ · succeeded", seen.GetProperty("liveView").GetString());
            Assert.StartsWith("Run SweepFlow/", seen.GetProperty("summary").GetString());
            Assert.True(seen.GetProperty("chartTraces").GetInt32() >= 1, "the card's Plotly chart drew a line");
            // The one error on the page is the deliberately failing run's.
            Assert.Contains("thresholds above 0.65", Assert.Single(seen.GetProperty("errors").EnumerateArray()).GetString());
        }
        Assert.True(new FileInfo(screenshot).Length > 10_000, "a screenshot of the resume cell was taken");
        if (Environment.GetEnvironmentVariable("SHARPFLOW_UPDATE_NOTEBOOK_SCREENSHOT") is { Length: > 0 } target)
        {
            File.Copy(screenshot, target, overwrite: true);
        }
    }
}
