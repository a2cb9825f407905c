using System.Collections.Concurrent;
using Sharpflow.Events;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class ExecutionTests
{
    [Fact]
    public async Task EachTaskWorksOnItsOwnCopyOfItsInputs()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ValueSemanticsFlow>();

        Assert.True(run.Successful, run.Error);
        Assert.Equal(
            "100,0|base,layer0;100,1|base,layer1;100,2|base,layer2;100,3|base,layer3",
            run["Join"].Task["Seen"].Get<string>());
        Assert.Equal([100], run["Start"].Task["Shared"].Get<List<int>>());
        Assert.Equal([100, 2], run["Mutate"].Tasks.Single(t => t.ForeachIndexPath == "2")["Shared"].Get<List<int>>());
    }

    [Fact]
    public async Task ParallelTasksKeepTheirOwnOutputAndStreamItLive()
    {
        using var store = new TempDatastore();
        var lines = new ConcurrentQueue<LogLine>();
        var run = await store.RunAsync<ChattyFlow>(options: store.Options(e => { if (e is LogLine l) { lines.Enqueue(l); } }) with { MaxWorkers = 8 });

        Assert.True(run.Successful, run.Error);
        foreach (var task in run["Talk"].Tasks)
        {
            var me = task.ForeachIndexPath;
            var stdout = task.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(40, stdout.Length);
            Assert.All(stdout, line => Assert.StartsWith($"worker {me} line", line));
            Assert.Equal(4, task.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            var live = lines.Where(l => l.TaskId == task.Id).ToArray();
            Assert.Equal(44, live.Length);
            Assert.All(live, l => Assert.Contains($"worker {me} ", l.Text));
        }
    }

    [Fact]
    public async Task AFailingTaskFailsTheRunAndFinishedTasksKeepTheirArtifacts()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<FailingFlow>(options: store.Options() with { MaxWorkers = 1 });

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("Step 'Work'", run.Error);
        Assert.Contains("foreach index 1", run.Error);
        Assert.Contains("item 2 is poisoned", run.Error);
        Assert.Contains("logs", run.Error);
        var failed = Assert.Single(run["Work"].Tasks, t => t.Status == RunStatus.Failed);
        Assert.Equal("System.InvalidOperationException", failed.Exception!.Type);
        Assert.Contains("FailingFlow.Work", failed.Exception.StackTrace);
        Assert.Equal("working on 2\n", failed.Stdout);
        Assert.Equal("ready", run["Start"].Task["Prepared"].Get<string>());
        Assert.Equal(1, run["Work"].Tasks.Single(t => t.ForeachIndexPath == "0")["Value"].Get<int>());
        Assert.DoesNotContain(run.Steps, s => s.Name is "Join" or "End");
    }

    [Fact]
    public async Task ForeachWiderThanMaxNumSplitsIsRefused()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<FailingFlow>(options: store.Options() with { MaxNumSplits = 2 });

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("--max-num-splits 2", run.Error);
        Assert.Contains("would start 3 tasks", run.Error);
    }

    [Fact]
    public async Task ALoopThatNeverExitsStopsAtTheLoopBound()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<EndlessLoopFlow>(options: store.Options() with { MaxLoopIterations = 5 });

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("step 'Spin' was entered 6 times", run.Error);
        Assert.Equal(5, run["Spin"].Tasks.Count);
        Assert.Equal(5, run["Spin"].Tasks.Max(t => t["Turns"].Get<int>()));
    }

    [Fact]
    public async Task ASwitchValueWithoutACaseFailsNamingTheCases()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<BadSwitchValueFlow>();

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("\"sideways\"", run.Error);
        Assert.Contains("\"up\", \"down\"", run.Error);
    }

    [Fact]
    public async Task TaskIdsAreUniqueAndLineageIsRecorded()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<Fixtures.Good.NestedForeachFlow>();

        var tasks = run.Steps.SelectMany(s => s.Tasks).ToArray();
        Assert.Equal(tasks.Length, tasks.Select(t => t.Id).Distinct().Count());
        var leaves = run["Leaf"].Tasks;
        Assert.Equal(["0.0.0", "0.0.1", "0.1.0", "0.1.1", "1.0.0", "1.0.1", "1.1.0", "1.1.1"], leaves.Select(t => t.ForeachIndexPath).Order());
        var joinOuter = run["JoinOuter"].Task;
        Assert.Equal(2, joinOuter.Parents.Count);
        Assert.All(joinOuter.Parents, p => Assert.StartsWith("JoinMiddle/", p));
        Assert.All(leaves, leaf => Assert.Equal(3, leaf.ForeachStack.Count));
    }

    [Fact]
    public async Task CancellingARunStopsItAndRecordsItAsCancelled()
    {
        using var store = new TempDatastore();
        using var cancel = new CancellationTokenSource();
        var options = store.Options(e => { if (e is TaskStarted { Step: "Wait" }) { cancel.Cancel(); } });
        var run = await new Execution.Runner<SlowFlow>(options).RunAsync(null, cancel.Token);

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("start", run["Start"].Task["Done"].Get<string>());
        Assert.Equal(RunStatus.Cancelled, run["Wait"].Task.Status);
        Assert.DoesNotContain(run.Steps, s => s.Name == "End");
    }
}
