namespace Sharpflow.Fixtures.Library;

/// <summary>A library outside a flow's assemblies that sets an object's public field by name (as serializers and mappers do).</summary>
public static class ReflectionWriter
{
    public static void Set(object target, string field, object? value)
    {
        ArgumentNullException.ThrowIfNull(target);
        (target.GetType().GetField(field) ?? throw new ArgumentException($"{target.GetType().Name} has no field '{field}'.", nameof(field))).SetValue(target, value);
    }
}
