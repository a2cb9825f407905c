namespace Sharpflow.Compute;

/// <summary>
/// A compute backend that runs a foreach's tasks as one array job (a Slurm job array, a Kubernetes Indexed Job) rather
/// than one job per task. Sharpflow gathers the first attempts of every task the foreach fans out to a step on such a
/// backend and hands them over in one call, not capped by <c>--max-workers</c> (the backend's scheduler throttles the
/// array); retries of a failed element are launched alone through <see cref="IComputeBackend.LaunchAsync"/>.
/// </summary>
public interface IArrayComputeBackend : IComputeBackend
{
    /// <summary>
    /// Runs each attempt's <see cref="TaskAttempt.Command"/> as one element of an array job, handing each element's stdout
    /// lines to its <see cref="TaskAttempt.OnStdoutLine"/> as they come and calling <paramref name="onExited"/> as each
    /// element ends (its index in <paramref name="attempts"/>, exit code and stderr); stops elements past their
    /// <see cref="TaskAttempt.Deadline"/>, and every element when <paramref name="cancellationToken"/> fires. Completes
    /// when every element has ended.
    /// </summary>
    Task LaunchArrayAsync(IReadOnlyList<TaskAttempt> attempts, ArrayElementExited onExited, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a step with these settings (its compute attribute, or the one <c>--with</c> bound) has its foreach tasks
    /// launched as one array; false launches them one job each, through <see cref="IComputeBackend.LaunchAsync"/>.
    /// </summary>
    bool LaunchesAsArray(IComputeAttribute? attribute) => true;
}

/// <summary>Reports that element <paramref name="index"/> of an array launch ended with <paramref name="exitCode"/>.</summary>
public delegate void ArrayElementExited(int index, int exitCode, string stderr);
