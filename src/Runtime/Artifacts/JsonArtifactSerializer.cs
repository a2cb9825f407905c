using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace Sharpflow.Artifacts;

/// <summary>
/// System.Text.Json for records, POCOs, collections, enums and other plain data (public fields included), nested up to
/// <see cref="MaxDepth"/> levels. A value that refers back to itself is refused with the path of its cycle.
/// </summary>
public sealed class JsonArtifactSerializer : IArtifactSerializer
{
    /// <summary>How deeply objects may nest (a linked list of 900 nodes, a deep decision tree).</summary>
    public const int MaxDepth = DataJson.MaxDepth;

    private static JsonSerializerOptions Options => DataJson.Options;

    /// <inheritdoc />
    public string Id => "json";

    /// <inheritdoc />
    public bool CanSerialize(Type type) => ArtifactTypePolicy.WhyNotSerializable(type) is null;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Serialize(object value, Type type)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, Options.GetTypeInfo(type));
        }
        catch (JsonException e) when (e.Message.Contains("cycle", StringComparison.OrdinalIgnoreCase))
        {
            // The serializer says "a possible cycle" both for a real cycle and for nesting past the limit: tell which.
            throw new JsonException(CycleOf(value) is { } cycle
                ? $"it refers back to itself ({cycle}), and JSON cannot store a cycle. Break the cycle, or keep the back reference out of the saved state ([JsonIgnore] on it)."
                : $"it is nested more than {MaxDepth} levels deep. Save it flatter (e.g. a list of nodes with parent indexes), or register a serializer for its type.", e);
        }
    }

    /// <inheritdoc />
    public object? Deserialize(ReadOnlyMemory<byte> data, Type type) => JsonSerializer.Deserialize(data.Span, Options.GetTypeInfo(type));

    /// <summary>The path of the first reference cycle in <paramref name="root"/> (public fields and properties, items), or null.</summary>
    internal static string? CycleOf(object root)
    {
        var onPath = new HashSet<object>(ReferenceEqualityComparer.Instance);
        return Visit(root, "value", 0);

        string? Visit(object? node, string path, int depth)
        {
            if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || depth > MaxDepth * 4)
            {
                return null;
            }
            if (!node.GetType().IsValueType && !onPath.Add(node))
            {
                return path;
            }
            try
            {
                foreach (var (name, child) in Children(node))
                {
                    if (Visit(child, $"{path}{name}", depth + 1) is { } cycle)
                    {
                        return cycle;
                    }
                }
                return null;
            }
            finally
            {
                onPath.Remove(node);
            }
        }
    }

    private static IEnumerable<(string Name, object? Value)> Children(object node)
    {
        if (node is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                yield return ($"[{index++}]", item);
            }
            yield break;
        }
        var type = node.GetType();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            yield return ($".{field.Name}", field.GetValue(node));
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0))
        {
            yield return ($".{property.Name}", property.GetValue(node));
        }
    }
}
