using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sharpflow.Compute;
using Sharpflow.Execution;
using Sharpflow.Extensibility;

[assembly: SharpflowAddOn(typeof(Sharpflow.TestFlows.SandboxAddOn.SandboxAddOn))]

namespace Sharpflow.TestFlows.SandboxAddOn;

/// <summary>
/// A compute backend written the way a third party would, against the public add-on API only: it runs each attempt's
/// worker command as a child process whose environment carries the sandbox's label and CPUs.
/// </summary>
public sealed class SandboxAddOn : ISharpflowAddOn
{
    /// <inheritdoc />
    public string PackageId => "Sharpflow.TestFlows";

    /// <inheritdoc />
    public void Register(AddOnRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddComputeBackend(new SandboxBackend());
    }
}

/// <summary>The <c>sandbox</c> backend.</summary>
public sealed class SandboxBackend : IComputeBackend
{
    /// <inheritdoc />
    public string Name => "sandbox";

    /// <inheritdoc />
    public Type? AttributeType => typeof(SandboxAttribute);

    /// <inheritdoc />
    public WorkerProgram Program => WorkerProgram.ThisProgram;

    /// <inheritdoc />
    public bool ReachesLocalDatastore => true;

    /// <inheritdoc />
    public string SpecDirectory(RunnerOptions options) => Path.GetTempPath();

    /// <inheritdoc />
    public async Task<(int ExitCode, string Stderr)> LaunchAsync(TaskAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var sandbox = attempt.Attribute as SandboxAttribute ?? new SandboxAttribute();
        var start = new ProcessStartInfo(attempt.Command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in attempt.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["SANDBOX_LABEL"] = sandbox.Label;
        start.Environment["SANDBOX_CPUS"] = sandbox.Cpus.ToString(CultureInfo.InvariantCulture);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the sandbox for {attempt.FlowName}/{attempt.Step}.");
        var stderr = child.StandardError.ReadToEndAsync(CancellationToken.None);
        await using (cancellationToken.Register(() => child.Kill(entireProcessTree: true)))
        {
            while (await child.StandardOutput.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                attempt.OnStdoutLine(line);
            }
            await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return (child.ExitCode, await stderr.ConfigureAwait(false));
    }
}
