namespace TrainFlowExample;

/// <summary>One labelled example: two sensor readings and whether the part failed.</summary>
public sealed class Sample
{
    public float Temperature { get; set; }
    public float Vibration { get; set; }
    public bool Failed { get; set; }
}

/// <summary>A synthetic, reproducible predictive-maintenance dataset: failure odds grow with heat and vibration.</summary>
public static class Dataset
{
    public static List<Sample> Generate(int rows, int seed)
    {
        var random = new Random(seed);
        var samples = new List<Sample>(rows);
        for (var i = 0; i < rows; i++)
        {
            var temperature = (float)(random.NextDouble() * 60 + 20);   // 20..80 °C
            var vibration = (float)(random.NextDouble() * 10);         // 0..10 mm/s
            var logit = 0.12 * (temperature - 55) + 0.8 * (vibration - 5) + Gaussian(random);
            samples.Add(new Sample { Temperature = temperature, Vibration = vibration, Failed = logit > 0 });
        }
        return samples;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
