namespace Sharpflow;

/// <summary>
/// Runs the step's tasks as Slurm batch jobs (<c>sbatch</c>): GPUs, CPUs and memory come from the step's
/// <see cref="ResourcesAttribute"/> (<c>--gres=gpu:N</c>, <c>--cpus-per-task</c>, <c>--mem</c>). The job runs the flow's code
/// package from a folder the cluster shares and reads and writes the same datastore (S3, or a shared path). A foreach
/// that fans out to the step is submitted as one job array (<c>sbatch --array</c>), <see cref="MaxParallel"/> elements at a time
/// (or one job per task, with <see cref="JobArray"/> off).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class SlurmAttribute : Attribute, IComputeAttribute
{
    /// <inheritdoc />
    public string Backend => "slurm";

    /// <summary>The partition (<c>--partition</c>); the cluster's default when null.</summary>
    public string? Partition { get; set; }

    /// <summary>The account to charge (<c>--account</c>).</summary>
    public string? Account { get; set; }

    /// <summary>The job's time limit in minutes (<c>--time</c>); 0 for the partition's limit.</summary>
    public int TimeLimitMinutes { get; set; }

    /// <summary>
    /// How many elements of the step's job array run at once (<c>--array=0-N%K</c>); 0 leaves it to the cluster (its
    /// free resources and limits). Not bounded by <c>--max-workers</c>, which counts this machine's cores.
    /// </summary>
    public int MaxParallel { get; set; }

    /// <summary>
    /// Whether a foreach's tasks go as one job array (the default: one <c>sbatch</c> call, one queue entry); false submits
    /// one job per task, for clusters whose <c>MaxArraySize</c> or policies refuse arrays.
    /// </summary>
    public bool JobArray { get; set; } = true;

    /// <summary>
    /// More <c>sbatch</c> options, each written as an <c>#SBATCH</c> line: <c>"--qos=high --constraint=a100"</c>, a container
    /// with the cluster's plugin (<c>"--container-image=nvcr.io/nvidia/pytorch:24.05-py3"</c>). Separated by spaces.
    /// </summary>
    public string? Options { get; set; }

    /// <summary>
    /// Shell commands the job runs before the task, e.g. <c>"module load cuda/12.4; source /opt/venv/bin/activate"</c>;
    /// a failing command fails the attempt with its output.
    /// </summary>
    public string? Setup { get; set; }
}
