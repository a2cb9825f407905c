using System.Text.RegularExpressions;
using Sharpflow.Client;
using Sharpflow.Execution;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

/// <summary>Cards rendered by real runs and opened in real headless Chromium with the network cut off.</summary>
public partial class CardTests
{
    private static string SaveCard(TempDatastore store, FlowTask task, string? id = null)
    {
        var card = id is null ? task.Cards[0] : task.Cards.Single(c => c.Id == id);
        var path = Path.Combine(store.Root, $"{task.Step.Name}-{card.Id}.html");
        card.Save(path);
        return path;
    }

    [GeneratedRegex("""(src|href)\s*=\s*["']?(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [Fact]
    public async Task TheExampleCardDrawsItsChartsTableAndDagOffline()
    {
        using var store = new TempDatastore();
        var run = await new Runner<TrainFlowExample.TrainFlow>(store.Options()).RunAsync(new Dictionary<string, object?> { ["rows"] = 800 });
        Assert.True(run.Successful, run.Error);
        var html = SaveCard(store, run["PickBest"].Task);
        var markupOutsideScripts = Regex.Replace(File.ReadAllText(html), "<script>.*?</script>", "", RegexOptions.Singleline);
        Assert.DoesNotMatch(ExternalReference(), markupOutsideScripts);
        Assert.DoesNotContain("<script src", File.ReadAllText(html));

        var dom = await Chromium.DumpDomAsync(html);

        Assert.True(Regex.Matches(dom, "class=\"main-svg\"").Count >= 2, "plotly drew both charts");
        Assert.Equal(2, Regex.Matches(dom, "class=\"plot-container plotly\"").Count);
        Assert.Contains("Model selection", dom);
        var leaderboard = dom[dom.IndexOf("<table", StringComparison.Ordinal)..];
        leaderboard = leaderboard[..leaderboard.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Equal(6, Regex.Matches(leaderboard, "<tr>").Count - 1);
        Assert.Equal(4, Regex.Matches(dom, "<g class=\"step ").Count);
        Assert.Contains("<g class=\"step current succeeded\" data-step=\"PickBest\">", dom);
        // The foreach is drawn as a fan-out: a stack of boxes with its task count, the edge labeled with the list.
        Assert.Contains("<g class=\"step ran fanout\" data-step=\"Fit\">", dom);
        Assert.Contains(">Fit ×6</text>", dom);
        Assert.Contains(">for each of Candidates</text>", dom);
        // A list of records whose members are records: the inner record's members are columns, not a cell of JSON.
        Assert.Contains("<th>Candidate.Trainer</th><th>Candidate.L2</th><th>Candidate.Iterations</th><th>Auc</th>", dom);

        if (Environment.GetEnvironmentVariable("SHARPFLOW_UPDATE_SCREENSHOT") is { Length: > 0 } target)
        {
            await Chromium.ScreenshotAsync(html, target, 1100, 2900);
        }
    }

    [Fact]
    public async Task ACardSaysWhichAttemptItIsOf()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<RetriedCardFlow>();
        Assert.True(run.Successful, run.Error);
        var html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(SaveCard(store, run["Start"].Task)));
        Assert.Contains("attempt 1 · started", html);
        Assert.Contains("1 earlier attempt failed (see logs --attempt N)", html);
    }

    [Fact]
    public async Task NothingFromAnArtifactALogOrAUserStringExecutes()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<HostileCardFlow>();
        var html = SaveCard(store, run["Start"].Task);

        var dom = await Chromium.DumpDomAsync(html);

        Assert.DoesNotContain("data-pwned", dom[..dom.IndexOf("</head>", StringComparison.Ordinal)] + Regex.Match(dom, "<body[^>]*>").Value);
        Assert.Contains("&lt;script&gt;document.body.setAttribute('data-pwned','artifact')", dom);
        Assert.Contains("&lt;script&gt;document.body.setAttribute('data-pwned','log')", dom);
        Assert.DoesNotContain("onmouseover", dom.Replace("{onmouseover=alert(1)}", "", StringComparison.Ordinal));
        Assert.DoesNotContain("javascript:", Regex.Replace(dom, "&lt;javascript:alert\\(2\\)&gt;|\\(javascript:alert\\(1\\)\\)", ""));
        Assert.Contains("<td>1</td>", dom.Replace("<td class=\"num\">", "<td>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeveralCardsABlankCardADataFrameAndAnImage()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ManyCardsFlow>();
        var task = run["Start"].Task;

        Assert.Equal(["plots", "summary"], task.Cards.Select(c => c.Id).Order());
        var plots = await Chromium.DumpDomAsync(SaveCard(store, task, "plots"));
        Assert.DoesNotContain("Artifacts (", plots);
        Assert.Contains("<th>epoch</th><th>loss</th>", plots);
        Assert.Contains("<td class=\"num\">0.25</td>", plots);
        Assert.Contains("data:image/svg+xml;base64,", plots);
        Assert.Contains("epochs: 75%", plots);
        var summary = await Chromium.DumpDomAsync(SaveCard(store, task, "summary"));
        Assert.Contains("Summary card", summary);
        Assert.Contains("Artifacts (1)", summary);
    }

    [Fact]
    public async Task ACardRefreshesWhileItsStepRunsAndRendersWhenItFails()
    {
        using var store = new TempDatastore();
        var running = new Runner<LiveCardFlow>(store.Options()).RunAsync();
        var flow = new Flow(nameof(LiveCardFlow), store.Client);
        string? live = null;
        for (var i = 0; i < 200 && live is null; i++)
        {
            await Task.Delay(50);
            live = flow.LatestRun?.Steps.FirstOrDefault()?.Tasks.FirstOrDefault()?.Cards.FirstOrDefault()?.Html;
        }
        LiveCardFlow.Proceed.Release();
        var run = await running;

        Assert.NotNull(live);
        Assert.Contains("updating", live);
        Assert.Contains("halfway: 50%", live);
        Assert.DoesNotContain("updating", run["Start"].Task.Cards[0].Html);

        var failed = await store.RunAsync<LiveCardFlow>(new Dictionary<string, object?> { ["fail"] = true });
        Assert.Equal(RunStatus.Failed, failed.Status);
        var dom = await Chromium.DumpDomAsync(SaveCard(store, failed["Start"].Task));
        Assert.Contains("the &lt;b&gt;model&lt;/b&gt; diverged", dom);
        Assert.Contains("class=\"badge Failed\"", dom);
    }

    [Fact]
    public async Task TheCliListsPrintsAndWritesCards()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ManyCardsFlow>();
        var task = run["Start"].Task;
        var file = Path.Combine(store.Root, "card.html");

        var list = await CliTests.InProcessAsync(typeof(ManyCardsFlow), "card", "list", $"{run.Id}/Start", "--datastore", store.Root);
        var get = await CliTests.InProcessAsync(typeof(ManyCardsFlow), "card", "get", $"{run.Id}/Start/{task.Id}", "--id", "summary", "--datastore", store.Root);
        var view = await CliTests.InProcessAsync(typeof(ManyCardsFlow), "card", "view", $"latest/Start/{task.Id}", "--id", "plots", "--file", file, "--datastore", store.Root);
        var none = await CliTests.InProcessAsync(typeof(ManyCardsFlow), "card", "get", $"{run.Id}/End/{run["End"].Task.Id}", "--datastore", store.Root);

        Assert.Contains($"{task.Pathspec} plots", list.Stdout);
        Assert.Contains("Summary card", get.Stdout);
        Assert.Equal(file, view.Stdout.Trim());
        Assert.Contains("epochs: 75%", File.ReadAllText(file));
        Assert.Equal(2, none.Code);
        Assert.Contains("has no cards; add [Card] to step 'End'", none.Stderr);
    }
}
