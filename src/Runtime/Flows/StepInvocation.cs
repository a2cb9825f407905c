namespace Sharpflow;

/// <summary>What a <see cref="StepDecoratorAttribute"/> sees of the step it wraps.</summary>
public sealed class StepInvocation
{
    internal StepInvocation(FlowSpec flow, Current current)
    {
        Flow = flow;
        Current = current;
    }

    /// <summary>The flow instance the step runs on: read or set its artifacts before or after the step.</summary>
    public FlowSpec Flow { get; }

    /// <summary>Facts about the running task.</summary>
    public Current Current { get; }

    /// <summary>The step's name.</summary>
    public string StepName => Current.StepName;

    /// <summary>How many times the step method itself has run in this attempt (a decorator may call <c>next</c> more than once).</summary>
    public int Invocations { get; internal set; }
}
