namespace Sharpflow;

/// <summary>
/// When the step still fails after its retries, stores the exception as an artifact (an
/// <see cref="Metadata.ExceptionRecord"/> named <see cref="Var"/>) and lets the flow continue with the step's
/// transition from the graph. Works for linear and branch transitions, whose next steps do not depend on the step's result.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class CatchAttribute : Attribute
{
    /// <summary>The artifact that receives the exception (default <c>Exception</c>).</summary>
    public string Var { get; set; } = "Exception";
}
