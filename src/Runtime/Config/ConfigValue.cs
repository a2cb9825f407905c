using System.Text.Json;
using System.Text.Json.Nodes;
using Sharpflow.Artifacts;

namespace Sharpflow.Config;

/// <summary>
/// A read-only config tree with typed accessors: <c>config["model"]["layers"].As&lt;int&gt;()</c> or
/// <c>config.Get&lt;double&gt;("optimizer.lr")</c>. Missing keys raise errors that name the path and the keys that exist.
/// </summary>
public sealed class ConfigValue
{
    private readonly JsonNode? _node;

    /// <summary>Wraps a copy of <paramref name="node"/> at <paramref name="path"/> (changing the source later changes nothing here).</summary>
    public ConfigValue(JsonNode? node, string path = "")
    {
        _node = node?.DeepClone();
        Path = path;
    }

    /// <summary>Where this value sits in its config (dotted keys).</summary>
    public string Path { get; }

    /// <summary>True for a table/object.</summary>
    public bool IsObject => _node is JsonObject;

    /// <summary>True for an array.</summary>
    public bool IsArray => _node is JsonArray;

    /// <summary>The keys of a table, in file order (empty otherwise).</summary>
    public IReadOnlyList<string> Keys => _node is JsonObject obj ? obj.Select(p => p.Key).ToArray() : [];

    /// <summary>The number of items of an array (0 otherwise).</summary>
    public int Count => _node is JsonArray array ? array.Count : 0;

    /// <summary>True when the table has the key.</summary>
    public bool Has(string key) => _node is JsonObject obj && obj.ContainsKey(key);

    /// <summary>The value under <paramref name="key"/>.</summary>
    public ConfigValue this[string key] => _node is JsonObject obj && obj.TryGetPropertyValue(key, out var child)
        ? new ConfigValue(child, Join(key))
        : throw new KeyNotFoundException($"Config key '{Join(key)}' does not exist{(Keys.Count > 0 ? $"; '{(Path.Length == 0 ? "(root)" : Path)}' has: {string.Join(", ", Keys)}" : "")}.");

    /// <summary>The array item at <paramref name="index"/>.</summary>
    public ConfigValue this[int index] => _node is JsonArray array && index >= 0 && index < array.Count
        ? new ConfigValue(array[index], $"{Path}[{index}]")
        : throw new IndexOutOfRangeException($"Config key '{Path}' has no item {index}.");

    /// <summary>The value at a dotted path below this one, as <typeparamref name="T"/>.</summary>
    public T Get<T>(string dottedPath) => dottedPath.Split('.').Aggregate(this, (value, key) => value[key]).As<T>();

    /// <summary>The value at a dotted path, or <paramref name="fallback"/> when a key on the way is missing.</summary>
    public T GetOrDefault<T>(string dottedPath, T fallback)
    {
        var value = this;
        foreach (var key in dottedPath.Split('.'))
        {
            if (!value.Has(key))
            {
                return fallback;
            }
            value = value[key];
        }
        return value.As<T>();
    }

    /// <summary>This value converted to <typeparamref name="T"/> (numbers, strings, booleans, lists, records...).</summary>
    public T As<T>()
    {
        try
        {
            return _node is null ? default! : _node.Deserialize<T>(DataJson.Options)!;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidCastException($"Config key '{Path}' holds {ToJson()}, which is not a {typeof(T).Name}.", e);
        }
    }

    /// <summary>The value as JSON text.</summary>
    public string ToJson() => _node?.ToJsonString() ?? "null";

    /// <inheritdoc />
    public override string ToString() => ToJson();

    private string Join(string key) => Path.Length == 0 ? key : $"{Path}.{key}";
}
