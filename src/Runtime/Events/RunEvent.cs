using System.Text.Json.Serialization;
using Sharpflow.Metadata;

namespace Sharpflow.Events;

/// <summary>
/// Something that happened in a run. The scheduler emits these records and every front end (CLI progress, notebook
/// live view, VS Code) is a consumer of the stream.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(RunStarted), "runStarted")]
[JsonDerivedType(typeof(TasksQueued), "tasksQueued")]
[JsonDerivedType(typeof(TaskStarted), "taskStarted")]
[JsonDerivedType(typeof(TaskFinished), "taskFinished")]
[JsonDerivedType(typeof(TaskFailed), "taskFailed")]
[JsonDerivedType(typeof(TaskCloned), "taskCloned")]
[JsonDerivedType(typeof(LogLine), "logLine")]
[JsonDerivedType(typeof(HookFinished), "hookFinished")]
[JsonDerivedType(typeof(RunFinished), "runFinished")]
public abstract record RunEvent(string FlowName, string RunId, DateTimeOffset Timestamp);

/// <summary>A run started.</summary>
public sealed record RunStarted(string FlowName, string RunId, DateTimeOffset Timestamp, IReadOnlyList<string> Steps, string Datastore)
    : RunEvent(FlowName, RunId, Timestamp);

/// <summary>
/// Tasks of a step were queued: <paramref name="Count"/> more (a foreach queues all its items at once), so live views
/// can show a step's total before its tasks start.
/// </summary>
public sealed record TasksQueued(string FlowName, string RunId, DateTimeOffset Timestamp, string Step, int Count)
    : RunEvent(FlowName, RunId, Timestamp);

/// <summary>A task started.</summary>
public sealed record TaskStarted(string FlowName, string RunId, DateTimeOffset Timestamp, string Step, string TaskId, int Attempt, string ForeachIndexPath)
    : RunEvent(FlowName, RunId, Timestamp);

/// <summary>A task finished successfully.</summary>
public sealed record TaskFinished(string FlowName, string RunId, DateTimeOffset Timestamp, string Step, string TaskId, int Attempt, TimeSpan Duration)
    : RunEvent(FlowName, RunId, Timestamp);

/// <summary>A task failed.</summary>
public sealed record TaskFailed(string FlowName, string RunId, DateTimeOffset Timestamp, string Step, string TaskId, int Attempt, TimeSpan Duration, ExceptionRecord Exception)
    : RunEvent(FlowName, RunId, Timestamp);

/// <summary>
/// A run took a task from an earlier run instead of running it (<paramref name="Origin"/> is <c>run/step/task</c>): a
/// resumed run's clone of its origin, or, when <paramref name="Reused"/>, a task with the same fingerprint (run with reuse).
/// </summary>
public sealed record TaskCloned(string FlowName, string RunId, DateTimeOffset Timestamp, string Step, string TaskId, string Origin, bool Reused = false)
    : RunEvent(FlowName, RunId, Timestamp);

/// <summary>A task wrote a line to stdout or stderr, or its compute backend said where it stands (<see cref="StatusStream"/>).</summary>
public sealed record LogLine(string FlowName, string RunId, DateTimeOffset Timestamp, string Step, string TaskId, string Stream, string Text)
    : RunEvent(FlowName, RunId, Timestamp)
{
    /// <summary>The <see cref="Stream"/> of a compute backend's word on the task (job id, queue state): not the task's output.</summary>
    public const string StatusStream = "status";
}

/// <summary>An exit hook ran after the run finished; <paramref name="Exception"/> is set when it failed.</summary>
public sealed record HookFinished(string FlowName, string RunId, DateTimeOffset Timestamp, string Hook, ExceptionRecord? Exception)
    : RunEvent(FlowName, RunId, Timestamp);

/// <summary>A run finished (succeeded, failed or was cancelled).</summary>
public sealed record RunFinished(string FlowName, string RunId, DateTimeOffset Timestamp, RunStatus Status, TimeSpan Duration, string? Error)
    : RunEvent(FlowName, RunId, Timestamp);
