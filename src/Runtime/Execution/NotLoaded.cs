using Sharpflow.Artifacts;

namespace Sharpflow.Execution;

/// <summary>
/// The artifacts a task did not load from its parent (its step's code cannot touch them, by the IL analysis) and the
/// values they held before the step ran: a member holding another value afterwards was assigned by code the analysis
/// cannot see (a library setting the flow's members by reflection), so the task stores it instead of keeping the
/// parent's reference. Reads by such code still see the flow's defaults: see <see cref="Graph.StepArtifactUse"/>.
/// </summary>
internal sealed class NotLoaded
{
    private readonly IReadOnlyList<(ArtifactMember Member, object? Before)> _members;

    private NotLoaded(IReadOnlyList<(ArtifactMember Member, object? Before)> members) => _members = members;

    /// <summary>Takes note of the members of <paramref name="instance"/> outside <paramref name="used"/>, as they are now.</summary>
    public static NotLoaded Of(Type flowType, FlowSpec instance, IReadOnlySet<string> used) =>
        new(ArtifactMember.Of(flowType).Where(m => !used.Contains(m.Name)).Select(m => (m, m.GetValue(instance))).ToArray());

    /// <summary>The members that hold another value now (another object, or an unequal value or string).</summary>
    public IReadOnlyList<string> Assigned(FlowSpec instance) =>
        _members.Where(m => !Same(m.Before, m.Member.GetValue(instance))).Select(m => m.Member.Name).ToArray();

    private static bool Same(object? before, object? now) =>
        ReferenceEquals(before, now) || (before is ValueType or string && Equals(before, now));
}
