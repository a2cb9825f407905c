using Sharpflow.TestFlows.SandboxAddOn;

namespace Sharpflow.TestFlows;

/// <summary>One step on the test add-on's <c>sandbox</c> backend, the others here (or all there, with <c>--with sandbox</c>).</summary>
public class SandboxFlow : FlowSpec
{
    /// <summary>The sandbox label each step saw (empty: not in a sandbox).</summary>
    public string StartLabel = "";

    /// <summary>The sandboxed step's label.</summary>
    public string WorkLabel = "";

    /// <summary>The sandboxed step's CPUs.</summary>
    public string WorkCpus = "";

    /// <summary>The last step's label.</summary>
    public string EndLabel = "";

    [Step]
    public void Start()
    {
        StartLabel = Environment.GetEnvironmentVariable("SANDBOX_LABEL") ?? "";
        Next(Work);
    }

    [Step, Sandbox(Label = "work", Cpus = 2)]
    public void Work()
    {
        WorkLabel = Environment.GetEnvironmentVariable("SANDBOX_LABEL") ?? "";
        WorkCpus = Environment.GetEnvironmentVariable("SANDBOX_CPUS") ?? "";
        Next(End);
    }

    [Step]
    public void End() => EndLabel = Environment.GetEnvironmentVariable("SANDBOX_LABEL") ?? "";
}
