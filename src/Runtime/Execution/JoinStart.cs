using Sharpflow.Artifacts;

namespace Sharpflow.Execution;

/// <summary>
/// A join instance's artifacts as the step found them, so MergeArtifacts can tell what the join set before the call
/// (Metaflow's merge_artifacts leaves those alone). An artifact counts as set when the join assigned another object or
/// value to it, or changed the object it started with in place (its content no longer hashes as the flow's default).
/// An immutable value assigned equal to the one it started with (false over false) cannot be told apart: it merges.
/// </summary>
internal sealed class JoinStart
{
    private readonly Dictionary<string, object?> _values;
    private readonly IReadOnlyDictionary<string, string> _defaultHashes;
    private readonly Func<FlowSpec, ArtifactMember, string> _hash;

    /// <summary>Takes the values of <paramref name="join"/>'s artifacts, before its step runs.</summary>
    public JoinStart(FlowSpec join, IReadOnlyDictionary<string, string> defaultHashes, Func<FlowSpec, ArtifactMember, string> hash)
    {
        _values = ArtifactMember.Of(join.GetType()).ToDictionary(m => m.Name, m => m.GetValue(join), StringComparer.Ordinal);
        _defaultHashes = defaultHashes;
        _hash = hash;
    }

    /// <summary>Whether the join's step set <paramref name="member"/> since it started.</summary>
    public bool Changed(FlowSpec join, ArtifactMember member)
    {
        var now = member.GetValue(join);
        var started = _values.GetValueOrDefault(member.Name);
        if (now is null || started is null)
        {
            return !ReferenceEquals(now, started);
        }
        if (now.GetType().IsValueType)
        {
            return !now.Equals(started); // a copy: compared by value
        }
        if (!ReferenceEquals(now, started))
        {
            return true; // another object assigned
        }
        // The object the join started with: a string cannot change in place; any other (a list the initializer made) has
        // changed if its content no longer hashes as the flow's default.
        return now is not string && _hash(join, member) != _defaultHashes[member.Name];
    }
}
