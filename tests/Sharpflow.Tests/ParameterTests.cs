using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class ParameterTests
{
    [Fact]
    public async Task ParametersOfEveryKindReachEveryTask()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ParameterFlow>(new Dictionary<string, object?>
        {
            ["dataset"] = "iris",
            ["learning-rate"] = "0.5",
            ["Epochs"] = 7,
            ["verbose"] = "true",
            ["optimizer"] = "adam",
            ["schedule"] = """{"Warmup": 2, "Decay": 0.9}""",
        });

        Assert.True(run.Successful, run.Error);
        Assert.Equal("iris:0.5:7:True:Adam:2/0.9", run.Data["Summary"].Get<string>());
        Assert.Equal(0.5, run["Start"].Task["LearningRate"].Get<double>());
        Assert.Equal("\"iris\"", run.Parameters["Dataset"]);
    }

    [Fact]
    public async Task DefaultsApplyWhenNotGiven()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ParameterFlow>(new Dictionary<string, object?> { ["dataset"] = "mnist" });

        Assert.Equal("mnist:0.01:3:False:Sgd:1/0.5", run.Data["Summary"].Get<string>());
    }

    [Theory]
    [InlineData(null, "--dataset is required (Dataset name)")]
    [InlineData("epochs=many", "Parameter --epochs: 'many' is not valid; expected a Int32")]
    [InlineData("optimizer=rmsprop", "expected one of Sgd, Adam")]
    [InlineData("batch-size=3", "has no parameter 'batch-size'")]
    public async Task BadParametersAreRefusedBeforeTheRunStarts(string? assignment, string message)
    {
        using var store = new TempDatastore();
        var values = new Dictionary<string, object?>();
        if (assignment is not null)
        {
            values["dataset"] = "iris";
            values[assignment.Split('=')[0]] = assignment.Split('=')[1];
        }
        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.RunAsync<ParameterFlow>(values));

        Assert.Contains(message, error.Message);
        Assert.StartsWith("Flow 'ParameterFlow'", error.Message);
        Assert.False(Directory.Exists(Path.Combine(store.Root, "ParameterFlow")));
    }

    [Fact]
    public async Task AStepThatChangesAParameterFails()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ParameterFlow>(new Dictionary<string, object?> { ["dataset"] = "x", ["tamper"] = true });

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("parameter 'Epochs' was changed by the step", run.Error);
    }
}
