using System.Diagnostics.CodeAnalysis;

namespace Sharpflow;

/// <summary>
/// Gives the artifacts of a program's own types compile-time JSON contracts: names a <c>JsonSerializerContext</c> made
/// by System.Text.Json's source generator (a partial class with a <c>[JsonSerializable(typeof(T))]</c> per type, and
/// <c>[JsonSourceGenerationOptions(IncludeFields = true)]</c> when the types have public fields). A program published
/// ahead of time (NativeAOT) needs it for records and collections of its own types, whose contracts cannot be made by
/// reflection there; the JIT build uses it too, so both write the same JSON. Put it on the program's assembly, or on the
/// assembly that defines the types (a library of flows): <c>[assembly: ArtifactJsonContext(typeof(MyFlowJson))]</c>.
/// It applies wherever that assembly is loaded (the program, the generic worker running a step remotely, a notebook).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ArtifactJsonContextAttribute(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type contextType) : Attribute
{
    /// <summary>The source-generated context.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public Type ContextType { get; } = contextType;
}
