using Sharpflow.Client;
using Sharpflow.Execution;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

/// <summary>Resume across the shapes where a failure can happen: foreach body, nested foreach, join, switch branch, loop.</summary>
public class ResumeTests
{
    private static async Task<(Run Origin, Run Resumed)> FailThenResumeAsync<TFlow>(TempDatastore store, string fault, ResumeOptions? options = null)
        where TFlow : FlowSpec
    {
        Faults.Break(fault);
        Run origin;
        try
        {
            origin = await store.RunAsync<TFlow>();
        }
        finally
        {
            Faults.Fix(fault);
        }
        Assert.Equal(RunStatus.Failed, origin.Status);
        var resumed = await new Runner<TFlow>(store.Options()).ResumeAsync(options);
        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal(origin.Id, resumed.Record.OriginRunId);
        return (origin, resumed);
    }

    [Fact]
    public async Task ALoopInsideAForeachResumesPerItemAndNothingAfterTheFailedStepIsCloned()
    {
        using var store = new TempDatastore();
        Faults.Break("loop-in-foreach");
        Run origin;
        try
        {
            origin = await new Runner<LoopInForeachFlow>(store.Options() with { MaxWorkers = 1 }).RunAsync();
        }
        finally
        {
            Faults.Fix("loop-in-foreach");
        }
        Assert.Equal(RunStatus.Failed, origin.Status);
        Assert.Equal(1, origin["Body"].Tasks.Count(t => !t.Successful));

        // E changed: the resumed run must use the new E for every item, including item 2, whose loop had finished.
        var resumed = await new Runner<FixedE.LoopInForeachFlow>(store.Options()).ResumeAsync();

        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal("2:v2,3:v2,4:v2", resumed.Data["Seen"].Get<string>());
        Assert.All(resumed["E"].Tasks, t => Assert.Null(t.Record.Origin));
        // Each item's loop continued where that item stopped: item 4 ran its third pass again, the earlier ones were cloned.
        var item4 = resumed["Body"].Tasks.Where(t => t.ForeachIndexPath == "2").OrderBy(t => t.Record.Iteration).ToArray();
        Assert.Equal([true, true, false, false], item4.Select(t => t.Record.Origin is not null));
        Assert.All(resumed["Body"].Tasks.Where(t => t.ForeachIndexPath == "0"), t => Assert.NotNull(t.Record.Origin));
    }

    private static IEnumerable<FlowTask> Tasks(Run run) => run.Steps.SelectMany(s => s.Tasks);

    private static void AssertClonedFaithfully(Run origin, Run resumed, string step)
    {
        foreach (var task in resumed[step].Tasks.Where(t => t.Record.Origin is not null))
        {
            var originTask = origin[step][task.Record.Origin!.Split('/')[2]];
            Assert.Equal(originTask.Artifacts.ToDictionary(a => a.Name, a => a.Hash), task.Artifacts.ToDictionary(a => a.Name, a => a.Hash));
        }
    }

    [Fact]
    public async Task AFailureInAForeachBodyResumesAtThatStep()
    {
        using var store = new TempDatastore();
        var (origin, resumed) = await FailThenResumeAsync<ResumeForeachFlow>(store, "foreach");

        Assert.Equal("Body", resumed.Record.ResumeStep);
        Assert.NotNull(resumed["Start"].Task.Record.Origin);
        AssertClonedFaithfully(origin, resumed, "Start");
        Assert.All(resumed["Body"].Tasks, t => Assert.Null(t.Record.Origin));
        Assert.Equal(4, resumed["Body"].Tasks.Count);
        Assert.Equal(100, resumed.Data["Total"].Get<int>());
        Assert.Equal(origin["Start"].Task["Stamp"].Get<string>(), resumed.Data["Stamp"].Get<string>());
        Assert.Equal(10, resumed.Data["Scale"].Get<int>());
    }

    [Fact]
    public async Task AFailureInANestedForeachClonesEverythingAbove()
    {
        using var store = new TempDatastore();
        var (origin, resumed) = await FailThenResumeAsync<ResumeNestedForeachFlow>(store, "nested");

        Assert.All(resumed["Start"].Tasks.Concat(resumed["OuterStep"].Tasks), t => Assert.NotNull(t.Record.Origin));
        Assert.Equal(2, resumed["OuterStep"].Tasks.Count);
        AssertClonedFaithfully(origin, resumed, "OuterStep");
        Assert.All(resumed["Leaf"].Tasks, t => Assert.Null(t.Record.Origin));
        Assert.Equal("0.0,0.1;1.0,1.1", resumed.Data["Result"].Get<string>());
    }

    [Fact]
    public async Task AFailureInAJoinClonesBothBranches()
    {
        using var store = new TempDatastore();
        var (origin, resumed) = await FailThenResumeAsync<ResumeJoinFlow>(store, "join");

        Assert.All(new[] { "Start", "A", "B" }, step => Assert.NotNull(resumed[step].Task.Record.Origin));
        AssertClonedFaithfully(origin, resumed, "A");
        Assert.Null(resumed["Join"].Task.Record.Origin);
        Assert.Equal("ab", resumed.Data["Result"].Get<string>());
    }

    [Fact]
    public async Task AFailureInASwitchBranchReplaysTheSameCase()
    {
        using var store = new TempDatastore();
        var (_, resumed) = await FailThenResumeAsync<ResumeSwitchFlow>(store, "switch");

        Assert.NotNull(resumed["Start"].Task.Record.Origin);
        Assert.Equal("b", resumed.Data["Result"].Get<string>());
        Assert.DoesNotContain(resumed.Steps, s => s.Name == "A");
    }

    [Fact]
    public async Task AFailureInALoopContinuesAtTheFailedIteration()
    {
        using var store = new TempDatastore();
        var (origin, resumed) = await FailThenResumeAsync<ResumeLoopFlow>(store, "loop");

        var loops = resumed["Loop"].Tasks;
        Assert.Equal(5, loops.Count);
        Assert.Equal([0, 1], loops.Where(t => t.Record.Origin is not null).Select(t => t.Record.Iteration).Order());
        Assert.Equal([2, 3, 4], loops.Where(t => t.Record.Origin is null).Select(t => t.Record.Iteration).Order());
        AssertClonedFaithfully(origin, resumed, "Loop");
        Assert.Equal("1,2,3,4,5", resumed.Data["Trail"].Get<string>());
    }

    [Fact]
    public async Task ResumingFromANamedStepRerunsItAndEverythingAfter()
    {
        using var store = new TempDatastore();
        var origin = await store.RunAsync<ResumeJoinFlow>();
        var resumed = await new Runner<ResumeJoinFlow>(store.Options()).ResumeAsync(new ResumeOptions { OriginRunId = origin.Id, Step = "b" });

        Assert.True(resumed.Successful, resumed.Error);
        Assert.NotNull(resumed["Start"].Task.Record.Origin);
        Assert.NotNull(resumed["A"].Task.Record.Origin);
        Assert.Null(resumed["B"].Task.Record.Origin);
        Assert.Null(resumed["Join"].Task.Record.Origin);
        Assert.Null(resumed["End"].Task.Record.Origin);
    }

    [Fact]
    public async Task ResumeRefusesChangedParametersAndFinishedRuns()
    {
        using var store = new TempDatastore();
        Faults.Break("foreach");
        Run origin;
        try
        {
            origin = await store.RunAsync<ResumeForeachFlow>();
        }
        finally
        {
            Faults.Fix("foreach");
        }
        var runner = new Runner<ResumeForeachFlow>(store.Options());
        var changed = await Assert.ThrowsAsync<ArgumentException>(() => runner.ResumeAsync(new ResumeOptions { Parameters = new Dictionary<string, object?> { ["scale"] = "20" } }));
        Assert.Contains($"resume keeps the parameters of run {origin.Id}, where --scale is 10, not 20", changed.Message);

        var same = await runner.ResumeAsync(new ResumeOptions { Parameters = new Dictionary<string, object?> { ["scale"] = "10" } });
        Assert.True(same.Successful, same.Error);
        var finished = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.ResumeAsync(new ResumeOptions { OriginRunId = same.Id }));
        Assert.Contains("nothing to resume", finished.Message);
    }

    [Fact]
    public async Task TheCliResumesTheLatestFailedRun()
    {
        using var store = new TempDatastore();
        Faults.Break("join");
        try
        {
            Assert.Equal(1, (await CliTests.InProcessAsync(typeof(ResumeJoinFlow), "run", "--datastore", store.Root)).Code);
        }
        finally
        {
            Faults.Fix("join");
        }
        var (code, stdout, stderr) = await CliTests.InProcessAsync(typeof(ResumeJoinFlow), "resume", "--datastore", store.Root);

        Assert.Equal(0, code);
        Assert.Contains("Cloned from", stdout);
        Assert.Equal("", stderr);
        Assert.Equal("ab", new Flow(nameof(ResumeJoinFlow), store.Client).LatestRun!.Data["Result"].Get<string>());
    }

    [Fact]
    public async Task ALoopAroundABranchResumesWithTheFailedPassInputs()
    {
        using var store = new TempDatastore();
        var (_, resumed) = await FailThenResumeAsync<ResumeLoopedBranchFlow>(store, "looped");

        Assert.Equal("[l1r1][l2r2][l3r3]", resumed.Data["Trail"].Get<string>());
        Assert.Equal(2, resumed["L"].Tasks.Count(t => t.Origin is not null));
    }
}
