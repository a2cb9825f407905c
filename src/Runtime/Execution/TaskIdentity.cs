using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// A task's place in a run independent of its task id: its step, the branch or foreach index at every enclosing split,
/// and how many times a loop had entered the step before. The same place in two runs of a flow has the same identity,
/// which is how resume finds the origin task to clone.
/// </summary>
internal static class TaskIdentity
{
    public static string Of(string step, IReadOnlyList<SplitFrame> splits, int iteration) =>
        $"{step}|{string.Join("/", splits.Select(s => $"{s.SplitStep}#{s.SplitIteration}:{s.Index}"))}|{iteration}";

    public static string Of(TaskRecord record) => Of(record.StepName, record.Splits, record.Iteration);
}
