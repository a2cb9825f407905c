using Sharpflow;
using Sharpflow.Cards;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace TrainFlowExample;

/// <summary>
/// Generates a dataset, sweeps ML.NET trainers and regularisation in parallel (one task per candidate), keeps the best
/// model by AUC in the join, and checks it on two hand-made parts at the end.
/// </summary>
public class TrainFlow : FlowSpec
{
    [Parameter(Help = "Rows of synthetic data to generate")] public int Rows { get; set; } = 4000;
    [Parameter(Help = "Random seed for data and trainers")] public int Seed { get; set; } = 7;
    [Parameter(Help = "Share of rows held out for evaluation")] public double TestFraction { get; set; } = 0.25;

    public List<Sample> Train = [];
    public List<Sample> Test = [];
    public List<Candidate> Candidates = [];
    public byte[] Model = [];
    public Score? Result;
    public List<Score> Leaderboard = [];

    /// <summary>Generates the sensor data, splits it into training and test rows, and lists the candidate trainers.</summary>
    [Step]
    public void Start()
    {
        var data = Dataset.Generate(Rows, Seed);
        var cut = (int)(data.Count * (1 - TestFraction));
        Train = data[..cut];
        Test = data[cut..];
        Candidates =
        [
            new("sdca", 0.001f, 50), new("sdca", 0.1f, 50), new("sdca", 1f, 10),
            new("lbfgs", 0.001f, 100), new("lbfgs", 1f, 100), new("lbfgs", 10f, 50),
        ];
        Console.WriteLine($"{Train.Count} training rows ({Train.Count(s => s.Failed)} failures), {Test.Count} test rows, {Candidates.Count} candidates");
        Next(Fit, forEach: nameof(Candidates));
    }

    /// <summary>Trains one candidate and scores it on the held-out rows.</summary>
    [Step]
    public void Fit()
    {
        var candidate = Input<Candidate>();
        (Model, Result) = Trainer.TrainAndEvaluate(candidate, Train, Test, Seed);
        Console.WriteLine($"{candidate}: AUC {Result.Auc:0.0000}, accuracy {Result.Accuracy:0.000}");
        Next(PickBest);
    }

    /// <summary>Ranks the candidates by AUC, keeps the best model and draws the leaderboard card.</summary>
    [Step, Card]
    public void PickBest(Inputs<TrainFlow> inputs)
    {
        Leaderboard = inputs.Select(i => i.Result!).OrderByDescending(s => s.Auc).ToList();
        var best = inputs.MaxBy(i => i.Result!.Auc)!;
        Model = best.Model;
        Result = best.Result;
        MergeArtifacts(inputs, include: [nameof(Test)]);

        Current.Card.Append(new Markdown(
            $"## Model selection\nBest of **{Leaderboard.Count}** candidates: `{Result!.Candidate}` with AUC **{Result.Auc:0.0000}** " +
            $"and accuracy {Result.Accuracy:P1} on {Test.Count} held-out rows."));
        Current.Card.Append(Table.From(Leaderboard.Select(s => new { candidate = s.Candidate.ToString(), auc = Math.Round(s.Auc, 4), accuracy = Math.Round(s.Accuracy, 4), f1 = Math.Round(s.F1, 4), seconds = Math.Round(s.TrainSeconds, 3) })));
        var names = Leaderboard.Select(s => s.Candidate.ToString()).ToArray();
        // The AUC axis spans the candidates' range (not 0 to 1), so 0.973 and 0.968 look different.
        var aucs = Leaderboard.Select(s => s.Auc).ToArray();
        var margin = Math.Max(0.002, (aucs.Max() - aucs.Min()) * 0.2);
        Current.Card.Append(new PlotlyChart(Titled(Chart.Bar<double, string, string>(values: aucs, Keys: names, Name: "AUC"), "AUC by candidate (higher is better)")
            .WithXAxisStyle<double, double, string>(TitleText: "AUC on the held-out rows", MinMax: Tuple.Create(aucs.Min() - margin, Math.Min(1, aucs.Max() + margin)))
            .WithYAxisStyle<double, double, string>(TitleText: "candidate")));
        Current.Card.Append(new PlotlyChart(Titled(Chart.Point<double, double, string>(
                x: Leaderboard.Select(s => s.TrainSeconds).ToArray(), y: Leaderboard.Select(s => s.Accuracy).ToArray(), Name: "accuracy vs training time", MultiText: names),
                "Accuracy against training time")
            .WithXAxisStyle<double, double, string>(TitleText: "training time (s)")
            .WithYAxisStyle<double, double, string>(TitleText: "accuracy on the held-out rows")));
        Next(End);
    }

    private static Plotly.NET.GenericChart Titled(Plotly.NET.GenericChart chart, string title) => Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

    /// <summary>Scores two example parts with the chosen model.</summary>
    [Step]
    public void End()
    {
        var hot = Trainer.Predict(Model, new Sample { Temperature = 78, Vibration = 9 });
        var cool = Trainer.Predict(Model, new Sample { Temperature = 25, Vibration = 1 });
        Console.WriteLine($"Best: {Result!.Candidate} with AUC {Result.Auc:0.0000} ({Model.Length / 1024} KiB model)");
        Console.WriteLine($"Hot, shaking part fails with p={hot.Probability:0.00}; cool, quiet part with p={cool.Probability:0.00}");
    }
}
