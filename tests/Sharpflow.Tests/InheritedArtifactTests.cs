using Sharpflow.Client;
using Sharpflow.Execution;
using Sharpflow.Graph;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

/// <summary>
/// A task loads from its parent only the artifacts its code can touch and keeps the parent's stored references for the
/// rest; a join loads only what it reads of each input. What any reader sees of a run is the same as if every artifact
/// were loaded and saved again.
/// </summary>
public class InheritedArtifactTests
{
    [Fact]
    public async Task UntouchedArtifactsKeepTheParentsStoredValueAndTouchedOnesAreReadAndSavedCorrectly()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<InheritanceFlow>();

        Assert.True(run.Successful, run.Error);
        var read = new Flow(nameof(InheritanceFlow), store.Client)[run.Id];
        var start = read["Start"].Task;
        var bodies = read["Body"].Tasks;
        Assert.Equal(4, bodies.Count);
        foreach (var body in bodies)
        {
            var item = body["Items"].Get<List<int>>()[body.ForeachStack.Single().Index];
            Assert.Equal([0, item], body["Mutated"].Get<List<int>>()); // mutated in place: stored anew
            Assert.Equal(item + 10 + 20 + 30, body["Value"].Get<int>()); // read through a helper, a lambda and another class
            Assert.Equal("from start", body["Seen"].Get<string>());
            Assert.Equal(["started"], body["Log"].Get<List<string>>()); // never touched: the parent's value
            Assert.Equal(start["Log"].Hash, body["Log"].Hash); // ... kept by reference
            Assert.Equal(start["Items"].Hash, body["Items"].Hash);
        }
        Assert.Equal(1 + 2 + 3 + 4 + (4 * 60), read["Join"].Task["Sum"].Get<long>());
        Assert.Equal(4, read["Join"].Task["JoinedLogCount"].Get<int>());
    }

    [Fact]
    public void TheAnalysisFindsWhatEachStepCanTouch()
    {
        var graph = FlowGraphExtractor.Extract(typeof(InheritanceFlow));
        var body = StepArtifactUse.Of(typeof(InheritanceFlow), graph.Find("Body")!)!;
        Assert.Equal(["Label", "Mutated", "ReadByAnotherClass", "ReadThroughHelper", "ReadThroughLambda", "Seen", "Value"], body.Order());
        var join = StepArtifactUse.Of(typeof(InheritanceFlow), graph.Find("Join")!)!;
        // The join's own reads, plus what the flow's helpers and other classes of its assembly name (counted, to be safe).
        Assert.Equal(["JoinedLogCount", "Log", "ReadByAnotherClass", "ReadThroughHelper", "Sum", "Value"], join.Order());
        var start = StepArtifactUse.Of(typeof(InheritanceFlow), graph.Find("Start")!)!;
        Assert.Contains("Items", start); // its foreach list, assigned and read by the transition
        Assert.Null(StepArtifactUse.Of(typeof(ReflectiveFlow), FlowGraphExtractor.Extract(typeof(ReflectiveFlow)).Find("Copy")!)); // reflection: everything
    }

    [Fact]
    public async Task AnArtifactALibraryAssignsByReflectionIsStoredNotTheParentsValue()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<LibraryWriterFlow>();
        Assert.True(run.Successful, run.Error);
        Assert.DoesNotContain("Note", StepArtifactUse.Of(typeof(LibraryWriterFlow), FlowGraphExtractor.Extract(typeof(LibraryWriterFlow)).Find("Write")!)!); // out of sight
        Assert.Equal("written by the library", run["Write"].Task["Note"].Get<string>());
        Assert.Equal("written by the library", run["End"].Task["Note"].Get<string>());
        Assert.Equal(run["Start"].Task["Kept"].Hash, run["Write"].Task["Kept"].Hash); // the untouched one still carries the parent's
    }

    [Fact]
    public async Task AStepThatReadsArtifactsByReflectionSeesThemAll()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ReflectiveFlow>();
        Assert.True(run.Successful, run.Error);
        Assert.Equal("shh", run["Copy"].Task["Copied"].Get<string>());
    }

    [Fact]
    public async Task ResumeAndSpinOfABodyTaskSeeTheSameInheritedValues()
    {
        using var store = new TempDatastore();
        var runner = new Runner<InheritanceFlow>(store.Options());
        var origin = await runner.RunAsync();
        Assert.True(origin.Successful, origin.Error);

        var spun = await runner.SpinAsync(new SpinOptions { Step = "Body", RunId = origin.Id, TaskId = origin["Body"].Tasks[2].Id });
        Assert.True(spun.Successful, spun.Error);
        Assert.Equal(origin["Body"].Tasks[2]["Value"].Get<int>(), spun["Body"].Task["Value"].Get<int>());
        Assert.Equal(["started"], spun["Body"].Task["Log"].Get<List<string>>());

        var resumed = await runner.ResumeAsync(new ResumeOptions { OriginRunId = origin.Id, Step = "Join" });
        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal(origin["Join"].Task["Sum"].Get<long>(), resumed["Join"].Task["Sum"].Get<long>());
        Assert.Equal(origin["Body"].Tasks[0]["Log"].Hash, resumed["Body"].Tasks[0]["Log"].Hash);
    }
}
