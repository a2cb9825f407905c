namespace Sharpflow.Tests.Flows;

/// <summary>Records "before"/"after" around the step in the flow's Trace artifact.</summary>
public sealed class TraceAroundAttribute : StepDecoratorAttribute
{
    public override async Task InvokeAsync(StepInvocation invocation, Func<Task> next)
    {
        var flow = (DecoratedFlow)invocation.Flow;
        flow.Trace.Add($"before {invocation.StepName} (retry {invocation.Current.RetryCount})");
        await next();
        flow.Trace.Add($"after {invocation.StepName} ({invocation.Invocations} invocation(s))");
    }
}

/// <summary>Runs the step again (on the same attempt) when it throws, up to a number of times.</summary>
public sealed class RetryInsideAttribute(int times) : StepDecoratorAttribute
{
    public override async Task InvokeAsync(StepInvocation invocation, Func<Task> next)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await next();
                return;
            }
            catch (InvalidOperationException) when (i < times)
            {
            }
        }
    }
}

/// <summary>Injects a value into an artifact before the step runs.</summary>
public sealed class InjectAttribute(string artifact, string value) : StepDecoratorAttribute
{
    public override Task InvokeAsync(StepInvocation invocation, Func<Task> next)
    {
        invocation.Flow.GetType().GetField(artifact)!.SetValue(invocation.Flow, value);
        return next();
    }
}

/// <summary>Skips the step when the flow's SkipMiddle artifact is true.</summary>
public sealed class SkipWhenAskedAttribute : StepDecoratorAttribute
{
    public override Task InvokeAsync(StepInvocation invocation, Func<Task> next) =>
        ((DecoratedFlow)invocation.Flow).SkipMiddle ? Task.CompletedTask : next();
}

public class DecoratedFlow : FlowSpec
{
    public List<string> Trace = [];
    public string Injected = "";
    public bool SkipMiddle = true;
    public int Calls;
    public string MiddleRan = "no";

    [Step, TraceAround, RetryInside(2)]
    public void Start()
    {
        Calls++;
        if (Calls < 3)
        {
            throw new InvalidOperationException($"flaky call {Calls}");
        }
        Next(Middle);
    }

    [Step, SkipWhenAsked] public void Middle() { MiddleRan = "yes"; Next(Last); }

    [Step, Inject(nameof(Injected), "from the decorator")] public void Last() { Trace.Add($"saw {Injected}"); Next(End); }

    [Step] public void End() { }
}

/// <summary>A flow mutator: every step gets two retries; steps whose name starts with Train get 4 CPUs.</summary>
public sealed class HardenedAttribute : FlowMutatorAttribute
{
    public override void Mutate(MutableFlow flow)
    {
        foreach (var step in flow.Steps)
        {
            step.AddIfMissing(new RetryAttribute { Times = 2 });
            if (step.Name.StartsWith("Train", StringComparison.Ordinal))
            {
                step.Add(new ResourcesAttribute { Cpu = 4, Memory = "8G" });
            }
        }
        flow.RemoveParameter("debug");
    }
}

/// <summary>A step mutator: takes the step's GPU count from a config.</summary>
public sealed class GpuFromConfigAttribute : StepMutatorAttribute
{
    public override void Mutate(MutableStep step) =>
        step.Add(new ResourcesAttribute { Cpu = 4, Memory = "8G", Gpu = step.Flow.ConfigTree("hw").Get<int>("gpus") });
}

[Hardened]
public class MutatedFlow : FlowSpec
{
    [Parameter] public bool Debug { get; set; }
    [Config("hw", Default = "hw.json")] public Sharpflow.Config.ConfigValue Hardware { get; set; } = new(null);

    [Step] public void Start() { if (Current.RetryCount < 2) { throw new IOException("needs the retries a mutator added"); } Next(TrainModel); }
    [Step, GpuFromConfig] public void TrainModel() => Next(End);
    [Step] public void End() { }
}

/// <summary>Decorator arguments from a config table.</summary>
public class ConfigDrivenFlow : FlowSpec
{
    [Config("policy", Default = "policy.toml")] public Sharpflow.Config.ConfigValue Policy { get; set; } = new(null);

    [Step, Retry(From = "policy.fit.retry"), Resources(From = "policy.fit.resources")]
    public void Start() { if (Current.RetryCount < 1) { throw new IOException("first attempt fails"); } Next(End); }

    [Step] public void End() { }
}

/// <summary>A flow mutator that adds a parameter the flow class does not declare.</summary>
public sealed class WithThresholdAttribute : FlowMutatorAttribute
{
    public override void Mutate(MutableFlow flow) => flow.AddParameter("threshold", 0.5, help: "Decision threshold");
}

[WithThreshold]
public class AddedParameterFlow : FlowSpec
{
    public double Seen;

    [Step] public void Start() { Seen = Current.Parameter<double>("threshold"); Next(End); }
    [Step] public void End() { }
}
