namespace Sharpflow.Execution;

/// <summary>
/// Where this process runs as a scheduler placed it, read from the environment the scheduler gives a job (Slurm's job
/// and array ids; the GPUs it was given): recorded with each task attempt (<see cref="Metadata.TaskRecord.Placement"/>).
/// </summary>
internal static class TaskPlacement
{
    private static readonly (string Variable, string Key)[] Known =
    [
        ("SLURM_JOB_ID", "slurm_job_id"),
        ("SLURM_ARRAY_JOB_ID", "slurm_array_job_id"),
        ("SLURM_ARRAY_TASK_ID", "slurm_array_task_id"),
        ("SLURMD_NODENAME", "slurm_node"),
        ("CUDA_VISIBLE_DEVICES", "gpus"),
    ];

    /// <summary>This process's placement, read once (it does not change while the process runs); null when there is none to tell.</summary>
    public static IReadOnlyDictionary<string, string>? Current { get; } = Read();

    private static Dictionary<string, string>? Read()
    {
        var placement = Known.Where(k => Environment.GetEnvironmentVariable(k.Variable) is { Length: > 0 })
            .ToDictionary(k => k.Key, k => Environment.GetEnvironmentVariable(k.Variable)!, StringComparer.Ordinal);
        return placement.Count == 0 ? null : placement;
    }
}
