using Sharpflow.Events;
using Sharpflow.Execution;
using Sharpflow.Metadata;

namespace Sharpflow.Tests;

public class RunnerEventsTests
{
    [Fact]
    public async Task SubscribersSeeEveryEventOfARunInOrder()
    {
        using var store = new TempDatastore();
        var runner = new Runner<Fixtures.Good.ForeachFlow>(store.Options());
        var events = runner.SubscribeEvents();
        var collected = Task.Run(async () =>
        {
            var list = new List<RunEvent>();
            await foreach (var e in events)
            {
                list.Add(e);
            }
            return list;
        });

        var run = await runner.RunAsync();
        await runner.DisposeAsync();
        var seen = await collected;

        Assert.IsType<RunStarted>(seen[0]);
        Assert.IsType<RunFinished>(seen[^1]);
        Assert.Equal(RunStatus.Succeeded, ((RunFinished)seen[^1]).Status);
        Assert.Equal(6, seen.OfType<TaskStarted>().Count());
        Assert.Equal(6, seen.OfType<TaskFinished>().Count());
        Assert.All(seen, e => Assert.Equal(run.Id, e.RunId));
        var body = seen.OfType<TaskFinished>().Where(f => f.Step == "Body").ToArray();
        Assert.All(body, f => Assert.True(f.Duration >= TimeSpan.Zero));

        // The foreach queues its whole width in one event, before any of its tasks starts: live views show totals.
        var queued = Assert.Single(seen.OfType<TasksQueued>(), q => q.Step == "Body");
        Assert.Equal(body.Length, queued.Count);
        Assert.True(seen.IndexOf(queued) < seen.FindIndex(e => e is TaskStarted { Step: "Body" }));
        Assert.Equal(seen.OfType<TaskStarted>().Count(), seen.OfType<TasksQueued>().Sum(q => q.Count));
        var progress = new StepProgress();
        foreach (var e in seen.TakeWhile(e => e is not TaskFinished { Step: "Body" }))
        {
            progress.Apply(e);
        }
        Assert.Equal(body.Length, progress.TotalOf("Body"));
        Assert.True(progress.Steps["Body"].Done < body.Length);
    }

    [Fact]
    public async Task AFailedTaskIsAnEventWithItsException()
    {
        using var store = new TempDatastore();
        await using var runner = new Runner<Flows.FailingFlow>(store.Options() with { MaxWorkers = 1 });
        var events = runner.SubscribeEvents();
        await runner.RunAsync();
        await runner.DisposeAsync();

        var failures = new List<TaskFailed>();
        await foreach (var e in events)
        {
            if (e is TaskFailed failed)
            {
                failures.Add(failed);
            }
        }
        var failure = Assert.Single(failures);
        Assert.Equal("Work", failure.Step);
        Assert.Equal("item 2 is poisoned", failure.Exception.Message);
    }
}
