using Sharpflow.Execution;
using TrainFlowExample;

namespace Sharpflow.Tests;

/// <summary>The README's main job: the ML.NET sweep trains every candidate and keeps the best model.</summary>
public class ExampleTests
{
    [Fact]
    public async Task TrainFlowSweepsCandidatesAndKeepsTheBestModel()
    {
        using var store = new TempDatastore();
        var run = await new Runner<TrainFlow>(store.Options()).RunAsync(new Dictionary<string, object?> { ["rows"] = 1500 });

        Assert.True(run.Successful, run.Error);
        var fits = run["Fit"].Tasks;
        Assert.Equal(6, fits.Count);
        var leaderboard = run.Data["Leaderboard"].Get<List<Score>>();
        Assert.Equal(6, leaderboard.Count);
        Assert.Equal(leaderboard.OrderByDescending(s => s.Auc).Select(s => s.Auc), leaderboard.Select(s => s.Auc));
        var best = run.Data["Result"].Get<Score>();
        Assert.Equal(leaderboard[0], best);
        Assert.True(best.Auc > 0.9, $"best AUC {best.Auc}");
        var model = run.Data["Model"].Get<byte[]>();
        Assert.Equal(fits.Single(t => t["Result"].Get<Score>() == best)["Model"].Hash, run.Data["Model"].Hash);
        Assert.True(Trainer.Predict(model, new Sample { Temperature = 79, Vibration = 9.5f }).Failed);
        Assert.False(Trainer.Predict(model, new Sample { Temperature = 22, Vibration = 0.5f }).Failed);
        Assert.Contains("Best: ", run.Data.Stdout);
    }

    [Fact]
    public async Task TheReadmeUnitTestSpinsFitWithInputsItGives()
    {
        using var store = new TempDatastore();
        await using var runner = new Runner<TrainFlow>(new RunnerOptions { DatastoreRoot = store.Root });
        var run = await runner.SpinAsync(new SpinOptions
        {
            Step = "Fit",
            Inputs = new Dictionary<string, object?> { ["Train"] = Dataset.Generate(500, 1), ["Test"] = Dataset.Generate(200, 2) },
            ForeachInput = new Candidate("lbfgs", 0.01f, 50),
            Persist = false,
        });

        Assert.True(run.Successful, run.Error);
        Assert.True(run["Fit"].Task["Result"].Get<Score>().Auc > 0.9);
    }
}
