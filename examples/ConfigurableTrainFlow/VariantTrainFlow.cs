using Sharpflow;
using TrainFlowExample;

namespace ConfigurableTrainExample;

/// <summary>Trains one model variant per config file: the target column, data size, sweep, retries and resources all come from it.</summary>
public class VariantTrainFlow : PlatformFlow
{
    public List<Sample> Train = [];
    public List<Sample> Test = [];
    public List<float> Sweep = [];
    public Score? Result;

    [Step]
    public void Start()
    {
        var data = Dataset.Generate(Model.Rows, Seed);
        if (Model.Target == "overheated")
        {
            data = data.Select(s => new Sample { Temperature = s.Temperature, Vibration = s.Vibration, Failed = s.Temperature > 65 }).ToList();
        }
        var cut = data.Count * 3 / 4;
        (Train, Test) = (data[..cut], data[cut..]);
        Sweep = Model.L2;
        Console.WriteLine($"Predicting '{Model.Target}' from {Train.Count} rows, sweeping l2 over {string.Join(", ", Sweep)}");
        Next(Fit, forEach: nameof(Sweep));
    }

    [Step, Retry(From = "model.fit.retry"), Resources(From = "model.fit.resources")]
    public void Fit()
    {
        (_, Result) = Trainer.TrainAndEvaluate(new Candidate("lbfgs", Input<float>(), 100), Train, Test, Seed);
        Next(Join);
    }

    [Step]
    public void Join(Inputs<VariantTrainFlow> inputs)
    {
        Result = inputs.Select(i => i.Result!).MaxBy(r => r.Auc);
        Report = $"Variant '{Model.Target}': best {Result!.Candidate} with AUC {Result.Auc:0.0000}";
        Next(End);
    }
}
