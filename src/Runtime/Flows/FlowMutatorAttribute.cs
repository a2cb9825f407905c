namespace Sharpflow;

/// <summary>
/// Base class of flow mutators, applied as attributes on the flow class: code that runs when a run starts, after the
/// configs are resolved, and changes the flow's decorators and parameters (e.g. "every step gets Retry(2)", "steps
/// whose name starts with Train get Resources from the config").
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public abstract class FlowMutatorAttribute : Attribute
{
    /// <summary>Changes the flow before it runs.</summary>
    public abstract void Mutate(MutableFlow flow);
}

/// <summary>Base class of step mutators, applied as attributes on a step: like <see cref="FlowMutatorAttribute"/>, for that step.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public abstract class StepMutatorAttribute : Attribute
{
    /// <summary>Changes the step before the flow runs.</summary>
    public abstract void Mutate(MutableStep step);
}
