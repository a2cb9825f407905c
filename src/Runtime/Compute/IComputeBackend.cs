using Sharpflow.Execution;

namespace Sharpflow.Compute;

/// <summary>
/// Where a step's task attempts run instead of this process: a Slurm job, an SSH host, a Kubernetes pod, ... An add-on
/// registers one (<see cref="Extensibility.AddOnRegistry.AddComputeBackend"/>); a step asks for it with its attribute or
/// <c>--with NAME[:key=value,...]</c>. Sharpflow prepares the worker command (see <see cref="Program"/>) and the task's spec,
/// then reads the attempt's outcome from the datastore; the backend only runs the command and streams its output.
/// </summary>
public interface IComputeBackend
{
    /// <summary>The name <c>--with</c> takes (<c>slurm</c>).</summary>
    string Name { get; }

    /// <summary>The step attribute that sends a step here (<c>typeof(SlurmAttribute)</c>), or null when only <c>--with</c> does.</summary>
    Type? AttributeType { get; }

    /// <summary>How the worker program reaches where the task runs.</summary>
    WorkerProgram Program { get; }

    /// <summary>Whether tasks there can open this machine's local datastore folder (a cluster sharing the filesystem: yes; an SSH host: no).</summary>
    bool ReachesLocalDatastore { get; }

    /// <summary>A folder the worker can read, where Sharpflow writes each attempt's spec file.</summary>
    string SpecDirectory(RunnerOptions options);

    /// <summary>
    /// Runs <see cref="TaskAttempt.Command"/> there until it exits, handing each line it prints to stdout to
    /// <see cref="TaskAttempt.OnStdoutLine"/> as it comes; stops it when <paramref name="cancellationToken"/> fires (the run is cancelled)
    /// or <see cref="TaskAttempt.Deadline"/> passes. Returns its exit code and stderr.
    /// </summary>
    Task<(int ExitCode, string Stderr)> LaunchAsync(TaskAttempt attempt, CancellationToken cancellationToken);
}

/// <summary>How a backend's worker gets the flow's program.</summary>
public enum WorkerProgram
{
    /// <summary>The program that runs the flow, started again (a child process on this machine).</summary>
    ThisProgram,

    /// <summary>The flow's code package, extracted into the shared folder the backend's machines see (<c>SHARPFLOW_SHARED_DIR</c>).</summary>
    SharedFolder,

    /// <summary>The flow's code package stored in the datastore; the worker fetches it (<see cref="TaskAttempt.Package"/>).</summary>
    Datastore,
}
