using Sharpflow.Client;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class ClientApiTests
{
    [Fact]
    public async Task RunsAreNewestFirstWithLatestAndLatestSuccessful()
    {
        using var store = new TempDatastore();
        var first = await store.RunAsync<FailingFlow>(options: store.Options() with { MaxNumSplits = 10 });
        var second = await store.RunAsync<FailingFlow>(options: store.Options() with { MaxNumSplits = 1 });

        var flow = new Flow("FailingFlow", store.Client);
        Assert.Equal([second.Id, first.Id], flow.Runs.Select(r => r.Id));
        Assert.Equal(second.Id, flow.LatestRun!.Id);
        Assert.Null(flow.LatestSuccessfulRun);

        var ok = await store.RunAsync<LinearFixture>();
        Assert.Equal(ok.Id, new Flow(nameof(LinearFixture), store.Client).LatestSuccessfulRun!.Id);
    }

    [Fact]
    public async Task OneDamagedRunRecordIsSkippedWithAWarningNamingItAndTheOtherRunsStayUsable()
    {
        using var store = new TempDatastore();
        var older = await store.RunAsync<Fixtures.Good.LinearFlow>();
        var newer = await store.RunAsync<Fixtures.Good.LinearFlow>();
        var record = Path.Combine(store.Root, nameof(Fixtures.Good.LinearFlow), newer.Id, "_meta", "run.json");
        File.WriteAllBytes(record, File.ReadAllBytes(record)[..40]); // truncated
        var task = Directory.GetFiles(Path.Combine(store.Root, nameof(Fixtures.Good.LinearFlow), older.Id, "A"), "task.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(task, "{ not json");

        var warnings = new List<string>();
        var flow = new Flow(nameof(Fixtures.Good.LinearFlow), store.Client with { OnWarning = warnings.Add });
        Assert.Equal([older.Id], flow.Runs.Select(r => r.Id));
        Assert.Equal(older.Id, flow.LatestRun!.Id);
        Assert.Empty(flow.LatestRun["A"].Tasks); // its one task record is damaged: skipped too
        Assert.Equal(2, flow.LatestRun["End"].Tasks.Count + flow.LatestRun["B"].Tasks.Count);
        Assert.Contains(warnings, w => w.Contains($"Run '{nameof(Fixtures.Good.LinearFlow)}/{newer.Id}' is skipped", StringComparison.Ordinal) && w.Contains("run.json", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains($"/{older.Id}/A/", StringComparison.Ordinal) && w.Contains("task.json", StringComparison.Ordinal));

        var dump = await CliTests.InProcessAsync(typeof(Fixtures.Good.LinearFlow), "dump", "latest/End", "--datastore", store.Root);
        Assert.True(dump.Code == 0, dump.Stderr);
        Assert.Contains(older.Id, dump.Stdout);
    }

    [Fact]
    public async Task NamespacesScopeWhatTheClientSees()
    {
        using var store = new TempDatastore();
        var alice = await store.RunAsync<LinearFixture>(options: store.Options() with { User = "alice" });
        var bob = await store.RunAsync<LinearFixture>(options: store.Options() with { User = "bob", Tags = ["production"] });

        var asAlice = new Flow(nameof(LinearFixture), store.Client with { Namespace = "user:alice" });
        Assert.Equal([alice.Id], asAlice.Runs.Select(r => r.Id));
        var error = Assert.Throws<KeyNotFoundException>(() => asAlice[bob.Id]);
        Assert.Contains("not in namespace 'user:alice'", error.Message);
        Assert.Contains("ClientOptions.Global", error.Message);

        Assert.Equal([bob.Id], new Flow(nameof(LinearFixture), store.Client with { Namespace = "production" }).Runs.Select(r => r.Id));
        Assert.Equal(2, new Flow(nameof(LinearFixture), ClientOptions.Global with { DatastoreRoot = store.Root }).Runs.Count());
        Assert.Contains("user:bob", bob.Tags);
        Assert.Equal("bob", bob.User);
    }

    [Fact]
    public async Task RunsCanBeFoundByTag()
    {
        using var store = new TempDatastore();
        await store.RunAsync<LinearFixture>(options: store.Options() with { Tags = ["exp:1"] });
        var tagged = await store.RunAsync<LinearFixture>(options: store.Options() with { Tags = ["exp:2", "gold"] });

        var found = new Flow(nameof(LinearFixture), ClientOptions.Global with { DatastoreRoot = store.Root }).RunsTagged("gold", "exp:2").Single();
        Assert.Equal(tagged.Id, found.Id);
    }

    [Fact]
    public async Task TasksCarryStatusTimingsHostAndLineage()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<LinearFixture>();

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.True(run.FinishedAt >= run.CreatedAt);
        Assert.Equal(["Start", "A", "B", "End"], run.Steps.Select(s => s.Name));
        var b = run["b"].Task;
        Assert.Equal(Environment.MachineName, b.Host);
        Assert.True(b.Duration >= TimeSpan.Zero);
        Assert.Equal([$"A/{run["A"].Task.Id}"], b.Parents);
        Assert.Equal($"LinearFixture/{run.Id}/B/{b.Id}", b.Pathspec);
        Assert.Equal("start>a>b", b["Result"].Get<string>());
        var missing = Assert.Throws<KeyNotFoundException>(() => b["Nope"]);
        Assert.Contains("Its artifacts are: Result", missing.Message);
        Assert.Throws<KeyNotFoundException>(() => new Flow(nameof(LinearFixture), store.Client)["123"]);
    }
}

/// <summary>The corpus's linear shape, under a name of its own so these tests own its runs.</summary>
public class LinearFixture : Fixtures.Good.LinearFlow;
