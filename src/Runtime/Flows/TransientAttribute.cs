namespace Sharpflow;

/// <summary>Excludes a public field or property of a flow from the artifacts: it is never persisted nor restored.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class TransientAttribute : Attribute
{
}
