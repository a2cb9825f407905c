using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Packaging;

namespace Sharpflow.Compute;

/// <summary>One task attempt for a <see cref="IComputeBackend"/> to run: what it is, what it needs, and the command that runs it.</summary>
public sealed class TaskAttempt
{
    /// <summary>The flow's name.</summary>
    public required string FlowName { get; init; }

    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The step's name.</summary>
    public required string Step { get; init; }

    /// <summary>The task's id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The attempt (0 = first).</summary>
    public required int Attempt { get; init; }

    /// <summary>The foreach indices of the task (<c>2.0</c>), empty outside a foreach.</summary>
    public string ForeachIndexPath { get; init; } = "";

    /// <summary>The step's compute attribute (<c>[Slurm(Partition = "gpu")]</c>, or the one <c>--with</c> built), or null.</summary>
    public IComputeAttribute? Attribute { get; init; }

    /// <summary>What the step needs (<c>[Resources]</c>), or null.</summary>
    public ResourcesAttribute? Resources { get; init; }

    /// <summary>
    /// The command that runs the attempt, for the program <see cref="IComputeBackend.Program"/> asked for: ends with
    /// <c>step --spec FILE --datastore ROOT</c> (the spec file is in <see cref="IComputeBackend.SpecDirectory"/>).
    /// </summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The flow's code package (stored in the datastore) when the backend's program comes from there, else null.</summary>
    public CodePackageManifest? Package { get; init; }

    /// <summary>The run's datastore (a backend may pass the spec through it).</summary>
    public required IBlobStore Datastore { get; init; }

    /// <summary>The run's options (shared folder, environment settings).</summary>
    public required RunnerOptions Options { get; init; }

    /// <summary>The step's <c>[Timeout]</c>, or null (the worker enforces it; a backend may also give it to its scheduler).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>When to give up on the attempt (its step's timeout plus a grace), or null.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>Where each line the worker prints to stdout goes (its events and log lines), as it comes.</summary>
    public required Action<string> OnStdoutLine { get; init; }

    /// <summary>
    /// Where the attempt stands on the backend, in a few words for live views (not the task's output): the job id it was
    /// submitted as, then why it waits in the queue (<c>Slurm job 42 is pending (Resources).</c>). Null when nobody listens.
    /// </summary>
    public Action<string>? OnStatus { get; init; }
}
