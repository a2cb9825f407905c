using System.Security.Cryptography;
using System.Text.Json;
using Sharpflow.Client;
using Sharpflow.Execution;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class SpinTests
{
    private static string Fingerprint(string folder) => Convert.ToHexString(SHA256.HashData(string.Join("\n",
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => f + ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))))).Select(c => (byte)c).ToArray()));

    [Fact]
    public async Task SpinRerunsOneForeachTaskWithItsPastInputsWithoutTouchingThatRun()
    {
        using var store = new TempDatastore();
        var origin = await store.RunAsync<SpinFlow>();
        var runFolder = Path.Combine(store.Root, nameof(SpinFlow), origin.Id);
        var before = Fingerprint(runFolder);
        var second = origin["Body"].Tasks.Single(t => t.ForeachIndexPath == "1");

        var spun = await new Runner<SpinFlow>(store.Options()).SpinAsync(new SpinOptions { Step = "Body", RunId = origin.Id, TaskId = second.Id });

        Assert.True(spun.Successful, spun.Error);
        var task = spun["Body"].Task;
        Assert.Equal(4, task["Value"].Get<int>());
        Assert.Equal("1", task.ForeachIndexPath);
        Assert.Equal("body 2 x 2\n", task.Stdout);
        Assert.Equal(origin.Id, spun.Record.OriginRunId);
        Assert.Contains("runtime:spin", spun.Tags);
        Assert.Single(spun.Steps);
        Assert.Equal(before, Fingerprint(runFolder));
    }

    [Fact]
    public async Task OverridesReplaceInputsAndNoPersistLeavesNoTrace()
    {
        using var store = new TempDatastore();
        var origin = await store.RunAsync<SpinFlow>();
        var runner = new Runner<SpinFlow>(store.Options());

        var spun = await runner.SpinAsync(new SpinOptions { Step = "Body", Overrides = new Dictionary<string, object?> { ["Factor"] = 10 }, Persist = false });

        Assert.Equal(10, spun["Body"].Task["Value"].Get<int>());
        Assert.Equal([origin.Id], new Flow(nameof(SpinFlow), store.Client).Runs.Select(r => r.Id));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => runner.SpinAsync(new SpinOptions { Step = "Body", Overrides = new Dictionary<string, object?> { ["Nope"] = 1 } }));
        Assert.Contains("has no artifact 'Nope' to override", error.Message);
    }

    [Fact]
    public async Task SpinPicksTheFailedTaskToDebugIt()
    {
        using var store = new TempDatastore();
        Faults.Break("spin");
        try
        {
            Assert.Equal(RunStatus.Failed, (await store.RunAsync<SpinFlow>()).Status);
            var stillBroken = await new Runner<SpinFlow>(store.Options()).SpinAsync(new SpinOptions { Step = "Body" });
            Assert.Equal(RunStatus.Failed, stillBroken.Status);
            Assert.Contains("fault 'spin'", stillBroken.Error);
        }
        finally
        {
            Faults.Fix("spin");
        }
        var fixedRun = await new Runner<SpinFlow>(store.Options()).SpinAsync(new SpinOptions { Step = "Body" });
        Assert.Equal(6, fixedRun["Body"].Task["Value"].Get<int>());
    }

    [Fact]
    public async Task ASpinIsListedButNeverTheLatestRunNorWhatResumeAndLatestPathsTake()
    {
        using var store = new TempDatastore();
        Faults.Break("spin");
        Run failed;
        try
        {
            failed = await store.RunAsync<SpinFlow>();
        }
        finally
        {
            Faults.Fix("spin");
        }
        var runner = new Runner<SpinFlow>(store.Options());
        var spun = await runner.SpinAsync(new SpinOptions { Step = "Body", RunId = failed.Id });
        Assert.True(spun.Successful, spun.Error);

        var flow = new Flow(nameof(SpinFlow), store.Client);
        Assert.Equal([spun.Id, failed.Id], flow.Runs.Select(r => r.Id)); // listed, newest first
        Assert.True(flow.Runs.First().IsSideRun);
        Assert.Equal(failed.Id, flow.LatestRun!.Id);
        Assert.Null(flow.LatestSuccessfulRun); // the spin succeeded, but it holds one task, not the flow's result

        var resumed = await runner.ResumeAsync(); // the failed run, not the spin
        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal(failed.Id, resumed.Record.OriginRunId);
        await runner.SpinAsync(new SpinOptions { Step = "Join" });
        Assert.Equal(resumed.Id, new Flow(nameof(SpinFlow), store.Client).LatestSuccessfulRun!.Id);
        var (code, stdout, stderr) = await CliTests.InProcessAsync(typeof(SpinFlow), "dump", "latest/Join", "--datastore", store.Root);
        Assert.True(code == 0, stderr);
        Assert.Contains(resumed.Id, stdout);
    }

    [Fact]
    public async Task AJoinSpinsWithItsPastParents()
    {
        using var store = new TempDatastore();
        await store.RunAsync<SpinFlow>();

        var spun = await new Runner<SpinFlow>(store.Options()).SpinAsync(new SpinOptions { Step = "Join", Persist = false });
        Assert.Equal(12, spun["Join"].Task["Total"].Get<int>());
    }

    [Fact]
    public async Task AUnitTestCanSpinAStepWithInputsItGivesDirectly()
    {
        using var store = new TempDatastore();
        var spun = await new Runner<SpinFlow>(store.Options()).SpinAsync(new SpinOptions
        {
            Step = "Body",
            Inputs = new Dictionary<string, object?> { ["Factor"] = 3 },
            ForeachInput = 7,
            Persist = false,
        });

        Assert.True(spun.Successful, spun.Error);
        Assert.Equal(21, spun["Body"].Task["Value"].Get<int>());
    }

    [Fact]
    public async Task TheCliSpinsWithAnOverridesFile()
    {
        using var store = new TempDatastore();
        var origin = await store.RunAsync<SpinFlow>();
        var file = Path.Combine(store.Root, "overrides.json");
        File.WriteAllText(file, """{ "Factor": 100 }""");
        var task = origin["Body"].Tasks[0];

        var (code, stdout, stderr) = await CliTests.InProcessAsync(typeof(SpinFlow), "spin", "Body", "--datastore", store.Root,
            "--task-path", $"{origin.Id}/Body/{task.Id}", "--artifacts", file, "--json", "--no-persist");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(100, json.RootElement.GetProperty("artifacts").GetProperty("Value").GetInt32());
        Assert.False(json.RootElement.GetProperty("persisted").GetBoolean());
    }
}
