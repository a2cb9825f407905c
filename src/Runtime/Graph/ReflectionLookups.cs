namespace Sharpflow.Graph;

/// <summary>
/// The calls through which step code reaches members by name (reflection, <c>dynamic</c>), which the IL readers cannot
/// follow: <see cref="StepCode"/> then counts all the flow's code, <see cref="StepArtifactUse"/> every artifact.
/// </summary>
internal static class ReflectionLookups
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "GetMethod", "GetMethods", "GetMember", "GetMembers", "InvokeMember", "SetMember", "GetRuntimeMethod", "GetRuntimeMethods", "GetDeclaredMethod",
        "GetField", "GetFields", "GetProperty", "GetProperties", "GetRuntimeField", "GetRuntimeFields", "GetRuntimeProperty", "GetRuntimeProperties",
    };

    /// <summary>Whether calling <paramref name="method"/> on the type named <paramref name="owner"/> (its full name) looks members up by name.</summary>
    public static bool IsLookup(string method, string? owner) =>
        Names.Contains(method) && owner is not null && (owner == "System.Type" || owner.StartsWith("System.Reflection.", StringComparison.Ordinal)
            || owner.StartsWith("Microsoft.CSharp.RuntimeBinder.", StringComparison.Ordinal));
}
