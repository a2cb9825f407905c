using Sharpflow.Datastore;
using Sharpflow.Events;

namespace Sharpflow.Execution;

/// <summary>How a <see cref="Runner"/> runs flows: where to store them, how much to run at once, tags, and who to tell.</summary>
public sealed record RunnerOptions
{
    /// <summary>The local datastore root; null means <c>SHARPFLOW_DATASTORE_ROOT</c> or <c>.sharpflow/</c> in the working directory.</summary>
    public string? DatastoreRoot { get; init; }

    /// <summary>A blob store to use instead of the local one (e.g. S3); wins over <see cref="DatastoreRoot"/>.</summary>
    public IBlobStore? BlobStore { get; init; }

    /// <summary>How many tasks run at once (default: the processor count).</summary>
    public int MaxWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>How often the records of tasks still running are written (tests set it to see one write per task for certain).</summary>
    internal TimeSpan RunningRecordsEvery { get; init; } = RunLifetime.RunningRecordsEvery;

    /// <summary>The most tasks one foreach may start (default 100, as in Metaflow).</summary>
    public int MaxNumSplits { get; init; } = 100;

    /// <summary>How often a step may be entered within one split of a run through switch loops (default 1000).</summary>
    public int MaxLoopIterations { get; init; } = 1000;

    /// <summary>Config files by config name (the CLI's <c>--config name=path</c>); others use their defaults.</summary>
    public IReadOnlyDictionary<string, string>? ConfigPaths { get; init; }

    /// <summary>Inline JSON config values by config name (the CLI's <c>--config-value name='{...}'</c>); they win over files.</summary>
    public IReadOnlyDictionary<string, string>? ConfigValues { get; init; }

    /// <summary>Retries for every step without its own [Retry]; null for none (<see cref="StepDecorators"/> takes <c>retry</c> too).</summary>
    public RetryAttribute? RetryEveryStep { get; init; }

    /// <summary>
    /// Decorators added to every step that has none of the kind (the CLI's <c>--with</c>), as written: <c>timeout:seconds=60</c>,
    /// <c>card</c>, <c>catch:var=Failure</c>, <c>retry:times=2</c>, <c>resources:cpu=2</c>, or the flow's own by snake_case
    /// name (<see cref="WithDecorators"/>). The run records them, so each of its tasks applies them wherever it runs.
    /// </summary>
    public IReadOnlyList<string> StepDecorators { get; init; } = [];

    /// <summary>Where tasks run: in this process (default, fastest) or each in a child process of its own.</summary>
    public TaskIsolation Isolation { get; init; } = TaskIsolation.InProcess;

    /// <summary>
    /// For <see cref="TaskIsolation.Process"/>: the command that starts this flow's command line (e.g.
    /// <c>["dotnet", "app.dll"]</c>); the CLI fills it in from its own command line.
    /// </summary>
    public IReadOnlyList<string>? TaskCommand { get; init; }

    /// <summary>The project branch to run on (<c>--branch</c>: <c>test.NAME</c>) for a flow with [Project]; null for <c>user.&lt;you&gt;</c>.</summary>
    public string? Branch { get; init; }

    /// <summary>Run on the project's production branch (<c>--production</c>: <c>prod</c>), for a flow with [Project].</summary>
    public bool Production { get; init; }

    /// <summary>
    /// Reuse every task whose fingerprint (code it can reach, decorators, parameters and configs it reads, inputs'
    /// content hashes, foreach item) equals a successful task's in one of the flow's newest earlier runs in your
    /// namespace: it is cloned (artifacts shared, marked reused) instead of run. Steps with [Reuse(false)] always run.
    /// </summary>
    public bool Reuse { get; init; }

    /// <summary>Tags to put on the run.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// An extra namespace for the run (e.g. <c>production</c>), recorded as a system tag so that clients limited to it
    /// see the run; the run is always also in <c>user:&lt;name&gt;</c>.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>The user to record; null means <c>SHARPFLOW_USER</c>, else the OS user.</summary>
    public string? User { get; init; }

    /// <summary>Called with every run event, from any thread (keep it fast).</summary>
    public Action<RunEvent>? OnEvent { get; init; }

    /// <summary>The in-memory cache of blob bytes shared by the runs of this runner; null for a default-sized one.</summary>
    public BlobCache? Cache { get; init; }

    /// <summary>Runs every step on this compute backend (<c>--with slurm</c>) unless the step names its own; null runs them here.</summary>
    public string? ComputeBackend { get; init; }

    /// <summary>
    /// Where compute backends find code packages and job files: a folder the cluster's nodes share (default:
    /// <c>$SHARPFLOW_SHARED_DIR</c>, else <c>.sharpflow-shared</c> in the working directory).
    /// </summary>
    public string? SharedDirectory { get; init; }

    /// <summary>
    /// Runs only this step and the steps leading to it: its tasks' children are not started, steps off the way to it
    /// are skipped, exit hooks do not fire, and graph rules about later steps are not enforced (a flow being built one
    /// step at a time, as notebook step cells do). The run is tagged <c>runtime:partial</c>. Null runs the whole flow.
    /// </summary>
    public string? StopAfter { get; init; }
}
