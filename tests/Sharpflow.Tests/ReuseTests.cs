using Microsoft.CodeAnalysis;
using Sharpflow.Client;
using Sharpflow.Execution;

namespace Sharpflow.Tests;

/// <summary>
/// Incremental runs (<c>run --reuse</c>): each case builds the flow's source with the C# compiler, runs it, edits the
/// source (or a parameter, a config, a package), builds and runs again with reuse, and checks exactly which tasks ran.
/// </summary>
public class ReuseTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using Sharpflow;

        namespace Incremental;

        public sealed record Settings { public string Prefix { get; init; } = "total"; }

        public class ReuseFlow : FlowSpec
        {
            [Parameter] public int Scale { get; set; } = 2;
            [Parameter] public string Label { get; set; } = "a";
            [Config("report", Default = "unused.json")] public Settings Report { get; set; } = new();

            public List<int> Items = [];
            public int Value;
            public int Total;
            public string Note = "";

            [Step] public void Start() { Items = [1, 2, 3]; Next(Fit, forEach: nameof(Items)); }
            [Step] public void Fit() { Value = Helper(Input<int>()) * Scale; Next(Join); }
            [Step] public void Join(Inputs<ReuseFlow> inputs) { Total = inputs.Sum(i => i.Value); Next(Summarize); }
            [Step, Card] public void Summarize() { Note = Format(Total); Next(End); }
            [Step] public void End() { Console.WriteLine("done"); }

            private static int Helper(int x) => x + 1;
            private string Format(int total) => $"{Report.Prefix} {Label} {total}";
        }
        """;

    private static readonly string[] AllSteps = ["Start", "Fit", "Join", "Summarize", "End"];

    private static RunnerOptions Options(TempDatastore store, string? config = null) => store.Options() with
    {
        Reuse = true,
        ConfigValues = new Dictionary<string, string> { ["report"] = config ?? """{"prefix": "total"}""" },
    };

    private static Task<Run> RunAsync(TempDatastore store, string source, IReadOnlyDictionary<string, object?>? parameters = null, string? config = null, OptimizationLevel optimization = OptimizationLevel.Release) =>
        new Runner(CompiledFlows.Build(source, "ReuseFlow", optimization), Options(store, config)).RunAsync(parameters);

    /// <summary>The steps whose tasks ran (each listed once per task that was not reused), in graph order.</summary>
    private static string[] Ran(Run run)
    {
        Assert.True(run.Successful, run.Error);
        return run.Steps.SelectMany(s => s.Tasks.Where(t => !t.Reused).Select(_ => s.Name)).OrderBy(s => Array.IndexOf(AllSteps, s)).ToArray();
    }

    private static void AssertSameArtifacts(Run expected, Run actual)
    {
        foreach (var step in expected.Steps)
        {
            var tasks = actual[step.Name].Tasks.OrderBy(t => t.ForeachIndexPath).ToArray();
            var originals = step.Tasks.OrderBy(t => t.ForeachIndexPath).ToArray();
            for (var i = 0; i < originals.Length; i++)
            {
                Assert.Equal(originals[i].Artifacts.ToDictionary(a => a.Name, a => a.Hash), tasks[i].Artifacts.ToDictionary(a => a.Name, a => a.Hash));
            }
        }
    }

    [Fact]
    public async Task AnUnchangedRebuildReusesEveryTaskWithTheSameArtifactsAndRecordsWhereEachCameFrom()
    {
        using var store = new TempDatastore();
        var first = await RunAsync(store, Source);
        Assert.Equal(["Start", "Fit", "Fit", "Fit", "Join", "Summarize", "End"], Ran(first));

        var second = await RunAsync(store, Source);

        Assert.Empty(Ran(second));
        AssertSameArtifacts(first, second);
        Assert.Equal("total a 18", second["Summarize"].Task["Note"].Get<string>());
        var start = second["Start"].Task;
        Assert.Equal($"{first.Id}/Start/{first["Start"].Task.Id}", start.Origin);
        Assert.Equal("done\n", second["End"].Task.Stdout);
        // A reused task did not run, so it shows the card of the task it came from.
        Assert.Equal(first["Summarize"].Task.Cards.Single().Html, second["Summarize"].Task.Cards.Single().Html);
    }

    [Fact]
    public async Task ADebugBuildOfTheSameCodeIsOtherCodeAndRunsAgain()
    {
        using var store = new TempDatastore();
        await RunAsync(store, Source);

        var debug = await RunAsync(store, Source, optimization: OptimizationLevel.Debug);

        Assert.Equal(7, Ran(debug).Length);
    }

    [Fact]
    public async Task EditingAStepRunsItAndTheStepsAfterItThatReadWhatItChanged()
    {
        using var store = new TempDatastore();
        await RunAsync(store, Source);

        var edited = await RunAsync(store, Source.Replace("Note = Format(Total);", "Note = Format(Total) + \"!\";", StringComparison.Ordinal));

        // End's code cannot touch Note, so End is reused, and the new Note passes through it as running it would.
        Assert.Equal(["Summarize"], Ran(edited));
        Assert.Equal("total a 18!", edited.Data["Note"].Get<string>());

        var reader = await RunAsync(store, Source
            .Replace("Note = Format(Total);", "Note = Format(Total) + \"?\";", StringComparison.Ordinal)
            .Replace("Console.WriteLine(\"done\");", "Console.WriteLine(Note);", StringComparison.Ordinal));
        Assert.Equal(["Summarize", "End"], Ran(reader));
        Assert.Equal("total a 18?\n", reader["End"].Task.Stdout);
    }

    [Fact]
    public async Task EditingAHelperRunsTheStepThatCallsItAndWhatItsNewResultReaches()
    {
        using var store = new TempDatastore();
        await RunAsync(store, Source);

        var edited = await RunAsync(store, Source.Replace("=> x + 1;", "=> x + 2;", StringComparison.Ordinal));

        Assert.Equal(["Fit", "Fit", "Fit", "Join", "Summarize"], Ran(edited));
        Assert.Equal("total a 24", edited.Data["Note"].Get<string>());
    }

    [Fact]
    public async Task EditingTheLastStepOrAddingUnrelatedCodeRunsNothingUpstream()
    {
        using var store = new TempDatastore();
        await RunAsync(store, Source);

        var edited = await RunAsync(store, Source
            .Replace("Console.WriteLine(\"done\");", "Console.WriteLine(\"finished\");", StringComparison.Ordinal)
            .Replace("private static int Helper", "private static int Unused(int y) => y * 3;\n    private static int Helper", StringComparison.Ordinal));

        Assert.Equal(["End"], Ran(edited));
        Assert.Equal("finished\n", edited["End"].Task.Stdout);
    }

    [Fact]
    public async Task AParameterChangeRunsTheStartStepAndTheStepsThatReadItButNotTheOthers()
    {
        using var store = new TempDatastore();
        await RunAsync(store, Source);

        // Label is read only by Summarize (through Format): the Fit tasks are reused, and carry the new Label onwards.
        var label = await RunAsync(store, Source, new Dictionary<string, object?> { ["Label"] = "b" });
        Assert.Equal(["Start", "Join", "Summarize"], Ran(label));
        Assert.Equal("total b 18", label["Summarize"].Task["Note"].Get<string>());
        Assert.All(label["Fit"].Tasks, t => Assert.Equal("b", t["Label"].Get<string>()));

        // Scale is read by Fit: every Fit task runs.
        var scale = await RunAsync(store, Source, new Dictionary<string, object?> { ["Label"] = "b", ["Scale"] = 3 });
        Assert.Equal(["Start", "Fit", "Fit", "Fit", "Join", "Summarize"], Ran(scale));
        Assert.Equal("total b 27", scale["Summarize"].Task["Note"].Get<string>());
    }

    [Fact]
    public async Task AConfigChangeRunsOnlyTheStepsThatReadIt()
    {
        using var store = new TempDatastore();
        await RunAsync(store, Source);

        var changed = await RunAsync(store, Source, config: """{"prefix": "sum"}""");

        Assert.Equal(["Summarize"], Ran(changed));
        Assert.Equal("sum a 18", changed.Data["Note"].Get<string>());
    }

    [Fact]
    public async Task AForeachWithOneChangedItemRunsOnlyThatItemsTaskAndTheJoin()
    {
        using var store = new TempDatastore();
        await RunAsync(store, Source);

        var edited = await RunAsync(store, Source.Replace("Items = [1, 2, 3];", "Items = [1, 2, 30];", StringComparison.Ordinal));

        Assert.Equal(["Start", "Fit", "Join", "Summarize"], Ran(edited));
        Assert.Equal("2", edited["Fit"].Tasks.Single(t => !t.Reused).ForeachIndexPath);
        Assert.Equal("total a 72", edited["Summarize"].Task["Note"].Get<string>());
        Assert.All(edited["Fit"].Tasks, t => Assert.Equal([1, 2, 30], t["Items"].Get<List<int>>()));
    }

    private const string ShardSource = """
        using System.Collections.Generic;
        using System.Linq;
        using Sharpflow;

        namespace Incremental;

        public sealed record Shard
        {
            public static int Made;
            public Shard(int id) { Id = id; Made++; }
            public int Id { get; }
        }

        public class ShardFlow : FlowSpec
        {
            public List<Shard> Shards = [];
            public int Value;
            public int Total;

            [Step] public void Start() { Shards = [new(1), new(2), new(3)]; Next(Body, forEach: nameof(Shards)); }
            [Step] public void Body() { Value = Input<Shard>().Id * 2; Next(Join); }
            [Step] public void Join(Inputs<ShardFlow> inputs) { Total = inputs.Sum(i => i.Value); Next(End); }
            [Step] public void End() { }
        }
        """;

    [Fact]
    public async Task AReusedForeachWhoseChildrenAreReusedNeverReadsItsListAndAChildThatRunsGetsItsOwnItem()
    {
        using var store = new TempDatastore();
        await new Runner(CompiledFlows.Build(ShardSource, "ShardFlow"), store.Options() with { Reuse = true }).RunAsync();

        var same = CompiledFlows.Build(ShardSource, "ShardFlow");
        var made = same.Assembly.GetType("Incremental.Shard")!.GetField("Made")!;
        var reused = await new Runner(same, store.Options() with { Reuse = true }).RunAsync();
        Assert.Equal(0, made.GetValue(null)); // no Shard was created: the stored list was never decoded
        Assert.Empty(Ran(reused));

        var edited = CompiledFlows.Build(ShardSource.Replace("Input<Shard>().Id * 2", "Input<Shard>().Id * 3", StringComparison.Ordinal), "ShardFlow");
        var rerun = await new Runner(edited, store.Options() with { Reuse = true }).RunAsync();
        Assert.True(rerun.Successful, rerun.Error);
        Assert.Equal(["Body", "Body", "Body", "Join"], rerun.Steps.SelectMany(s => s.Tasks.Where(t => !t.Reused).Select(_ => s.Name)).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        // The list decoded once for its 3 children (3 shards), and each child's own item (1 each).
        Assert.Equal(6, edited.Assembly.GetType("Incremental.Shard")!.GetField("Made")!.GetValue(null));
        Assert.Equal([3, 6, 9], rerun["Body"].Tasks.OrderBy(t => t.ForeachIndexPath).Select(t => t["Value"].Get<int>()).ToArray());
        Assert.Equal(18, rerun["Join"].Task["Total"].Get<int>());
    }

    [Fact]
    public async Task ANewVersionOfAPackageRunsTheStepsThatCallItAndARebuildOfTheSameVersionDoesNot()
    {
        const string library = "namespace Scoring; public static class Scorer { public static int Score(int x) => x * 10; }";
        var source = Source
            .Replace("using Sharpflow;", "using Sharpflow;\nusing Scoring;", StringComparison.Ordinal)
            .Replace("Value = Helper(Input<int>()) * Scale;", "Value = Scorer.Score(Helper(Input<int>())) * Scale;", StringComparison.Ordinal);
        using var store = new TempDatastore();
        async Task<Run> RunWithAsync(string version) =>
            await new Runner(CompiledFlows.BuildWithLibrary(source, "ReuseFlow", "Scoring", library, version), Options(store)).RunAsync();
        Assert.Equal(7, Ran(await RunWithAsync("1.0.0.0")).Length);

        // The same package again (rebuilt, deterministic): nothing runs.
        Assert.Empty(Ran(await RunWithAsync("1.0.0.0")));
        // Version 2 of the package: the Fit tasks call it and run, what reads their unchanged results is reused.
        var upgraded = await RunWithAsync("2.0.0.0");
        Assert.Equal(["Fit", "Fit", "Fit"], Ran(upgraded));
        Assert.Equal("total a 180", upgraded.Data["Note"].Get<string>());
    }

    [Fact]
    public async Task AStepMarkedReuseFalseAlwaysRuns()
    {
        using var store = new TempDatastore();
        var source = Source.Replace("[Step, Card] public void Summarize()", "[Step, Card, Reuse(false)] public void Summarize()", StringComparison.Ordinal);
        await RunAsync(store, source);

        var again = await RunAsync(store, source);

        // Summarize ran; its result is the same, so End (whose inputs did not change) is reused.
        Assert.Equal(["Summarize"], Ran(again));
    }

    [Fact]
    public async Task ReuseTurnedOffForEveryStepWithWithOrForOneStepFromAConfigRunsThem()
    {
        using var store = new TempDatastore();
        var type = CompiledFlows.Build(Source
            .Replace("[Step] public void Fit()", "[Step, Reuse(From = \"policy.reuse\")] public void Fit()", StringComparison.Ordinal)
            .Replace("public List<int> Items", "[Config(\"policy\", Default = \"unused.json\")] public Sharpflow.Config.ConfigValue Policy { get; set; } = new(null);\n    public List<int> Items", StringComparison.Ordinal), "ReuseFlow");
        RunnerOptions With(bool fitReuse) => Options(store) with
        {
            ConfigValues = new Dictionary<string, string> { ["report"] = """{"prefix": "total"}""", ["policy"] = fitReuse ? """{"reuse": {"enabled": true}}""" : """{"reuse": {"enabled": false}}""" },
        };
        await new Runner(type, With(fitReuse: true)).RunAsync();

        // --with adds [Reuse(false)] to every step without its own; Fit has one, which its config table allows.
        var everyStep = await new Runner(type, With(fitReuse: true) with { StepDecorators = ["reuse:enabled=false"] }).RunAsync();
        Assert.Equal(["Start", "Join", "Summarize", "End"], Ran(everyStep));

        // The table says no: only Fit runs (its results are the same, so what comes after is reused).
        var fromConfig = await new Runner(type, With(fitReuse: false)).RunAsync();
        Assert.Equal(["Fit", "Fit", "Fit"], Ran(fromConfig));
    }

    [Fact]
    public async Task AFileBasedAppRebuiltAfterAnEditReusesWhatDidNotChangeAndShowSaysWhichStepsChanged()
    {
        using var store = new TempDatastore();
        var app = WordCountApp.In(store);
        await app.RunFlowAsync("b a b c");
        var unchanged = await app.RunAsync("show", "--changed");
        Assert.True(unchanged.ExitCode == 0, unchanged.Stdout + unchanged.Stderr);
        Assert.Equal(4, unchanged.Stdout.Split('\n').Count(l => l.Contains("unchanged since run", StringComparison.Ordinal)));

        // The edit: the join formats its result differently; the app is built again by `dotnet run`.
        app.Write(app.EditedJoin);
        var changed = await app.RunAsync("show", "--changed");
        Assert.Contains("Join", changed.Stdout.Split('\n').Single(l => l.Contains("changed since run", StringComparison.Ordinal) && !l.Contains("unchanged", StringComparison.Ordinal)));
        var run = await app.RunFlowAsync("b a b c", "--reuse");
        Assert.Equal(4, run.Steps.SelectMany(s => s.Tasks).Count(t => t.Reused)); // Start and the 3 CountWord tasks
        Assert.Equal(["Join", "End"], Ran(run));
        Assert.Equal("b: 2", run.Data["Top"].Get<string>());
    }

    [Fact]
    public async Task WithoutReuseEverythingRunsAndTheRunIsStillOfferedForLaterReuse()
    {
        using var store = new TempDatastore();
        var type = CompiledFlows.Build(Source, "ReuseFlow");
        var plain = await new Runner(type, Options(store) with { Reuse = false }).RunAsync();
        var again = await new Runner(type, Options(store) with { Reuse = false }).RunAsync();
        Assert.Equal(7, Ran(again).Length);

        var reused = await new Runner(type, Options(store)).RunAsync();

        Assert.Empty(Ran(reused));
        Assert.StartsWith(again.Id + "/", reused["Start"].Task.Origin, StringComparison.Ordinal); // the newest earlier run wins
        Assert.NotEqual(plain.Id, again.Id);
    }

    [Fact]
    public async Task ARunWhoseFingerprintsCannotBeStoredStillFinishesAndIsNotOfferedForReuse()
    {
        using var store = new TempDatastore();
        var type = CompiledFlows.Build(Source, "ReuseFlow");
        var refusing = new CountingBlobStore(store.Root) { RefuseWrites = key => key.EndsWith("/fingerprints.json", StringComparison.Ordinal) };
        var run = await new Runner(type, Options(store) with { BlobStore = refusing }).RunAsync();
        Assert.True(run.Successful, run.Error);
        Assert.Equal(Metadata.RunStatus.Succeeded, new Flow("ReuseFlow", store.Client)[run.Id].Status);

        Assert.Equal(7, Ran(await new Runner(type, Options(store)).RunAsync()).Length);
    }

    [Fact]
    public async Task AReusedRunResumesAndSpinsLikeAnyOther()
    {
        using var store = new TempDatastore();
        var type = CompiledFlows.Build(Source, "ReuseFlow");
        await new Runner(type, Options(store)).RunAsync();
        var reused = await new Runner(type, Options(store)).RunAsync();
        Assert.Empty(Ran(reused));

        var resumed = await new Runner(type, store.Options()).ResumeAsync(new ResumeOptions { OriginRunId = reused.Id, Step = "Summarize" });
        Assert.True(resumed.Successful, resumed.Error);
        Assert.Null(resumed["Summarize"].Task.Origin);
        Assert.Equal("total a 18", resumed["Summarize"].Task["Note"].Get<string>());

        var spun = await new Runner(type, store.Options()).SpinAsync(new SpinOptions { Step = "Summarize", RunId = reused.Id });
        Assert.True(spun.Successful, spun.Error);
        Assert.Equal("total a 18", spun["Summarize"].Task["Note"].Get<string>());
    }
}
