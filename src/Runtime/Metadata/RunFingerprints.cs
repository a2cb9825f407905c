namespace Sharpflow.Metadata;

/// <summary>
/// What a finished run computed with which code and inputs: the code hash of each step it ran
/// (<see cref="Graph.StepCode"/>), and the fingerprint of each successful task by its place in the run. A later run
/// with reuse clones a task whose fingerprint it finds here; <c>show --changed</c> compares the step hashes.
/// </summary>
/// <param name="Steps">The code hash of each step, by step name.</param>
/// <param name="Tasks">Each successful task's fingerprint and id, by its place in the run (step, splits, iteration).</param>
public sealed record RunFingerprints(IReadOnlyDictionary<string, string> Steps, IReadOnlyDictionary<string, TaskFingerprintRecord> Tasks);

/// <summary>One successful task's fingerprint and where it is.</summary>
/// <param name="Fingerprint">The hash of what its result depends on.</param>
/// <param name="Step">Its step.</param>
/// <param name="TaskId">Its task id in the run.</param>
public sealed record TaskFingerprintRecord(string Fingerprint, string Step, string TaskId)
{
    /// <summary>
    /// For a foreach split, each item's serializer and content hash, in order: a later run that reuses the split
    /// fingerprints its children from these without decoding the list. Null for other tasks.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Items { get; init; }
}
