namespace Sharpflow.Datastore;

/// <summary>
/// Where everything lives in a datastore, the same on disk and on S3:
/// <c>&lt;Flow&gt;/data/&lt;hh&gt;/&lt;hash&gt;</c> blobs, <c>&lt;Flow&gt;/&lt;run&gt;/_meta/run.json</c>,
/// <c>&lt;Flow&gt;/&lt;run&gt;/&lt;step&gt;/&lt;task&gt;/_meta/task.json</c> (a succeeded task's record embeds its artifact
/// index), <c>.../_meta/&lt;attempt&gt;.attempt.json</c> for attempts that did not succeed, and per-attempt logs beside them.
/// A succeeded run's wide steps also list their tasks' records in parts, <c>&lt;Flow&gt;/&lt;run&gt;/_meta/&lt;step&gt;.tasks.&lt;n&gt;.json</c>.
/// Separate <c>&lt;attempt&gt;.artifacts.json</c> indexes are what older runs wrote; they are still read.
/// </summary>
public static class DatastoreLayout
{
    /// <summary>The folder name holding a flow's content-addressed blobs.</summary>
    public const string DataFolder = "data";

    /// <summary>The folder name holding metadata records.</summary>
    public const string MetaFolder = "_meta";

    /// <summary>The key of a content-addressed blob.</summary>
    public static string Blob(string flow, string hash) => $"{flow}/{DataFolder}/{hash[..2]}/{hash}";

    /// <summary>The folder name holding a flow's code packages (next to its runs).</summary>
    public const string PackagesFolder = "packages";

    /// <summary>The folder of a flow's code packages.</summary>
    public static string Packages(string flow) => $"{flow}/{PackagesFolder}";

    /// <summary>A code package's archive.</summary>
    public static string Package(string flow, string hash) => $"{flow}/{PackagesFolder}/{hash}.zip";

    /// <summary>A code package's manifest (written after the archive).</summary>
    public static string PackageManifest(string flow, string hash) => $"{flow}/{PackagesFolder}/{hash}.json";

    /// <summary>True for a content-addressed blob key (<c>Flow/data/hh/hash</c>): its bytes never change.</summary>
    public static bool IsContentAddressed(string key) =>
        key.Split('/') is [_, DataFolder, { Length: 2 } shard, { Length: > 2 } hash] && hash.StartsWith(shard, StringComparison.Ordinal);

    /// <summary>The prefix under which a flow's runs are listed.</summary>
    public static string Flow(string flow) => flow;

    /// <summary>The prefix of a run.</summary>
    public static string Run(string flow, string run) => $"{flow}/{run}";

    /// <summary>The run record.</summary>
    public static string RunRecord(string flow, string run) => $"{flow}/{run}/{MetaFolder}/run.json";

    /// <summary>The run's heartbeat: when its owner last proved it was alive.</summary>
    public static string RunHeartbeat(string flow, string run) => $"{flow}/{run}/{MetaFolder}/heartbeat.json";

    /// <summary>The fingerprints of a run's steps and successful tasks, which later runs with reuse match (<see cref="Metadata.RunFingerprints"/>).</summary>
    public static string RunFingerprints(string flow, string run) => $"{flow}/{run}/{MetaFolder}/fingerprints.json";

    /// <summary>The run's mutable tag record.</summary>
    public static string RunTags(string flow, string run) => $"{flow}/{run}/{MetaFolder}/tags.json";

    /// <summary>The prefix of a step of a run.</summary>
    public static string Step(string flow, string run, string step) => $"{flow}/{run}/{step}";

    /// <summary>The prefix of a task.</summary>
    public static string Task(string flow, string run, string step, string task) => $"{flow}/{run}/{step}/{task}";

    /// <summary>The task record (status, timings, host, exception, lineage).</summary>
    public static string TaskRecord(string flow, string run, string step, string task) => $"{Task(flow, run, step, task)}/{MetaFolder}/task.json";

    /// <summary>
    /// One part of a wide step's task list: the final records of up to <c>MetadataStore.StepTaskListPartSize</c> of its
    /// tasks in one JSON array, written when the run succeeded, so a reader lists the step with one read per part instead
    /// of one per task.
    /// </summary>
    public static string StepTaskListPart(string flow, string run, string step, int part) => $"{flow}/{run}/{MetaFolder}/{step}{StepTaskListMarker}{part}.json";

    /// <summary>What follows the step's name in the names of its task-list parts (step names never hold a dot).</summary>
    public const string StepTaskListMarker = ".tasks.";

    /// <summary>The final record of one attempt of a task (every attempt is kept; task.json is the latest).</summary>
    public static string AttemptRecord(string flow, string run, string step, string task, int attempt) =>
        $"{Task(flow, run, step, task)}/{MetaFolder}/{attempt}.attempt.json";

    /// <summary>The artifact index of one attempt of a task.</summary>
    public static string ArtifactIndex(string flow, string run, string step, string task, int attempt) =>
        $"{Task(flow, run, step, task)}/{MetaFolder}/{attempt}.artifacts.json";

    /// <summary>The folder of a task's cards.</summary>
    public static string Cards(string flow, string run, string step, string task) => $"{Task(flow, run, step, task)}/_cards";

    /// <summary>One card of a task: a self-contained HTML file.</summary>
    public static string Card(string flow, string run, string step, string task, string id) => $"{Cards(flow, run, step, task)}/{id}.html";

    /// <summary>The captured output of one attempt of a task (<paramref name="stream"/> is <c>stdout</c> or <c>stderr</c>).</summary>
    public static string Log(string flow, string run, string step, string task, int attempt, string stream) =>
        $"{Task(flow, run, step, task)}/{attempt}.{stream}.log";
}
