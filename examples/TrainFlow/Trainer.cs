using Microsoft.ML;
using Microsoft.ML.Data;

namespace TrainFlowExample;

/// <summary>Trains and evaluates ML.NET binary classifiers; models travel between steps as bytes.</summary>
public static class Trainer
{
    public sealed class Prediction
    {
        [ColumnName("PredictedLabel")] public bool Failed { get; set; }
        public float Probability { get; set; }
    }

    public static (byte[] Model, Score Score) TrainAndEvaluate(Candidate candidate, List<Sample> train, List<Sample> test, int seed)
    {
        var ml = new MLContext(seed);
        var started = DateTime.UtcNow;
        var features = ml.Transforms.Concatenate("Features", nameof(Sample.Temperature), nameof(Sample.Vibration))
            .Append(ml.Transforms.NormalizeMinMax("Features"));
        IEstimator<ITransformer> pipeline = candidate.Trainer switch
        {
            "sdca" => features.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(
                labelColumnName: nameof(Sample.Failed), l2Regularization: candidate.L2, maximumNumberOfIterations: candidate.Iterations)),
            "lbfgs" => features.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
                labelColumnName: nameof(Sample.Failed), l2Regularization: candidate.L2, historySize: Math.Max(5, candidate.Iterations / 10))),
            _ => throw new ArgumentException($"Unknown trainer '{candidate.Trainer}': use sdca or lbfgs."),
        };
        var trainData = ml.Data.LoadFromEnumerable(train);
        var model = pipeline.Fit(trainData);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test)), labelColumnName: nameof(Sample.Failed));
        using var stream = new MemoryStream();
        ml.Model.Save(model, trainData.Schema, stream);
        var score = new Score(candidate, metrics.AreaUnderRocCurve, metrics.Accuracy, metrics.F1Score, (DateTime.UtcNow - started).TotalSeconds);
        return (stream.ToArray(), score);
    }

    public static Prediction Predict(byte[] modelBytes, Sample sample)
    {
        var ml = new MLContext();
        using var stream = new MemoryStream(modelBytes);
        var model = ml.Model.Load(stream, out _);
        return ml.Model.CreatePredictionEngine<Sample, Prediction>(model).Predict(sample);
    }
}
