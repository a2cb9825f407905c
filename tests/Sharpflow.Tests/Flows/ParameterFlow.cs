namespace Sharpflow.Tests.Flows;

public enum Optimizer { Sgd, Adam }

public sealed record Schedule(int Warmup, double Decay);

public class ParameterFlow : FlowSpec
{
    [Parameter(Help = "Learning rate")] public double LearningRate { get; set; } = 0.01;
    [Parameter] public int Epochs { get; set; } = 3;
    [Parameter] public bool Verbose { get; set; }
    [Parameter] public Optimizer Optimizer { get; set; } = Optimizer.Sgd;
    [Parameter] public Schedule Schedule { get; set; } = new(1, 0.5);
    [Parameter(Required = true, Help = "Dataset name")] public string Dataset { get; set; } = "";
    [Parameter] public bool Tamper { get; set; }

    public string Summary = "";

    [Step]
    public void Start()
    {
        if (Tamper)
        {
            Epochs = 1000;
        }
        Next(End);
    }

    [Step] public void End() => Summary = $"{Dataset}:{LearningRate}:{Epochs}:{Verbose}:{Optimizer}:{Schedule.Warmup}/{Schedule.Decay}";
}
