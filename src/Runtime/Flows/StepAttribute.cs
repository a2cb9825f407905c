namespace Sharpflow;

/// <summary>Marks a public instance method of a <see cref="FlowSpec"/> as a step of the flow.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class StepAttribute : Attribute
{
}
