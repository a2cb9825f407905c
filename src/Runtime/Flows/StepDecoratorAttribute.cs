namespace Sharpflow;

/// <summary>
/// Base class of user step decorators, applied as attributes on steps (or added by mutators). A decorator wraps every
/// attempt of the step, inside the step's [Timeout] and inside [Retry] and [Catch]; several decorators nest in
/// declaration order, the first outermost. It can run code before and after the step, time it, inject artifact values
/// on <see cref="StepInvocation.Flow"/>, call <c>next</c> again to retry, or not call it to skip the step (allowed
/// when the step's next step does not depend on its result: linear and branch transitions).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public abstract class StepDecoratorAttribute : Attribute
{
    /// <summary>Wraps one attempt of the step; <paramref name="next"/> runs the rest of the chain and the step itself.</summary>
    public abstract Task InvokeAsync(StepInvocation invocation, Func<Task> next);
}
