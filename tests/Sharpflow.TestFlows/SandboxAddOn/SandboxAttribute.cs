namespace Sharpflow.TestFlows.SandboxAddOn;

/// <summary>Runs the step's tasks in a "sandbox": a child process that knows its label (a third-party backend's attribute).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class SandboxAttribute : Attribute, IComputeAttribute
{
    /// <inheritdoc />
    public string Backend => "sandbox";

    /// <summary>What the sandbox calls itself (the task sees it as SANDBOX_LABEL).</summary>
    public string Label { get; set; } = "default";

    /// <summary>How many CPUs the sandbox may use (the task sees SANDBOX_CPUS).</summary>
    public int Cpus { get; set; } = 1;
}
