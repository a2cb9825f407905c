namespace Sharpflow;

/// <summary>One level of foreach around a task: the split step, the list artifact, and this task's index among the splits.</summary>
/// <param name="Step">The step that called <c>Next(..., forEach: ...)</c>.</param>
/// <param name="Variable">The list artifact the foreach iterates over.</param>
/// <param name="Index">This task's position in the list.</param>
/// <param name="NumSplits">How many tasks the foreach started.</param>
public sealed record ForeachFrame(string Step, string Variable, int Index, int NumSplits);
