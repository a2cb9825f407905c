using MyFlows;
using Sharpflow.Execution;

namespace MyFlows.Tests;

/// <summary>Tests of the flow: one step spun with chosen inputs, and a whole run, each in a datastore of its own.</summary>
public sealed class MyFlowsFlowTests : IDisposable
{
    private readonly string _datastore = Directory.CreateTempSubdirectory("myflows-test-").FullName;

    [Fact]
    public async Task EvaluateScoresTheSettingItIsGiven()
    {
        await using var runner = new Runner<MyFlowsFlow>(new RunnerOptions { DatastoreRoot = _datastore });
        // Spin runs one step on its own, without a past run when its inputs are given: here only its foreach item
        // (Evaluate reads no other artifact), and nothing is stored (Persist = false).
        var run = await runner.SpinAsync(new SpinOptions
        {
            Step = nameof(MyFlowsFlow.Evaluate),
            Inputs = new Dictionary<string, object?>(),
            ForeachInput = 3,
            Persist = false,
        });
        Assert.Equal(1.0, run[nameof(MyFlowsFlow.Evaluate)].Task["Score"].Get<double>());
    }

    [Fact]
    public async Task TheFlowPicksTheBestSetting()
    {
        await using var runner = new Runner<MyFlowsFlow>(new RunnerOptions { DatastoreRoot = _datastore });
        var run = await runner.RunAsync(new Dictionary<string, object?> { ["Candidates"] = 5 });
        Assert.True(run.Successful, run.Error);
        Assert.Equal(5, run[nameof(MyFlowsFlow.Evaluate)].Tasks.Count);
        Assert.Equal(3, run.Data["Best"].Get<int>());
    }

    public void Dispose() => Directory.Delete(_datastore, recursive: true);
}
