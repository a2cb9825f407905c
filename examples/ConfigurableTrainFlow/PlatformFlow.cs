using System.Diagnostics;
using Sharpflow;

namespace ConfigurableTrainExample;

/// <summary>A user step decorator: times every attempt of a step and records it in the flow's StepSeconds artifact.</summary>
public sealed class TimedAttribute : StepDecoratorAttribute
{
    public override async Task InvokeAsync(StepInvocation invocation, Func<Task> next)
    {
        var clock = Stopwatch.StartNew();
        await next();
        if (invocation.Flow is PlatformFlow flow)
        {
            flow.StepSeconds[invocation.StepName] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        }
    }
}

/// <summary>
/// The platform team's policy as a flow mutator: every step is timed, and every step without its own [Retry] gets the
/// number of retries the model config asks for.
/// </summary>
public sealed class PlatformPolicyAttribute : FlowMutatorAttribute
{
    public override void Mutate(MutableFlow flow)
    {
        var retries = flow.Config<ModelConfig>("model").Retries;
        foreach (var step in flow.Steps)
        {
            step.Add(new TimedAttribute());
            if (retries > 0)
            {
                step.AddIfMissing(new RetryAttribute { Times = retries });
            }
        }
    }
}

/// <summary>
/// The BaseFlow pattern: shared parameters, config, artifacts, steps and policies that every model flow inherits.
/// A concrete flow adds its own Start and training steps and ends in the shared End.
/// </summary>
[PlatformPolicy]
public abstract class PlatformFlow : FlowSpec
{
    [Parameter(Help = "Random seed for data and trainers")] public int Seed { get; set; } = 7;

    [Config("model", Default = "configs/failures.toml", Help = "The model variant")] public ModelConfig Model { get; set; } = new();

    public Dictionary<string, double> StepSeconds = [];
    public string Report = "";

    [Step]
    public void End()
    {
        Console.WriteLine(Report);
        Console.WriteLine($"Step times: {string.Join(", ", StepSeconds.Select(p => $"{p.Key} {p.Value:0.000}s"))}");
    }
}
