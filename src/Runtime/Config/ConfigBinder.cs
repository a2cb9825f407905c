using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sharpflow.Config;

/// <summary>
/// Binds a config tree to its property type and validates it (DataAnnotations, recursively, and IValidatableObject).
/// Keys in snake_case or kebab-case bind to PascalCase members; unknown keys are errors (they are usually typos).
/// </summary>
internal static class ConfigBinder
{
    private static readonly JsonSerializerOptions Options = new(Artifacts.DataJson.Options)
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The typed value of a config (a <see cref="ConfigValue"/> for untyped configs); validation errors throw.</summary>
    public static object? Bind(FlowConfig config, string flow, ConfigDocument document)
    {
        if (config.Type == typeof(ConfigValue))
        {
            return new ConfigValue(document.Tree);
        }
        object? value;
        try
        {
            value = Normalize(document.Tree, config.Type).Deserialize(config.Type, Options);
        }
        catch (JsonException e)
        {
            var key = KeyOf(e.Path);
            throw Error(flow, config, document, key, $"{e.Message.Split(" Path:")[0].TrimEnd('.')}", e);
        }
        Validate(flow, config, document, value);
        return value;
    }

    private static void Validate(string flow, FlowConfig config, ConfigDocument document, object? value)
    {
        var errors = new List<(string Key, string Message)>();
        Collect(value, "", errors, new HashSet<object>(ReferenceEqualityComparer.Instance));
        if (errors.Count > 0)
        {
            var (key, message) = errors[0];
            var more = errors.Count > 1 ? $" ({errors.Count - 1} more: {string.Join("; ", errors.Skip(1).Select(e => $"{e.Key}: {e.Message}"))})" : "";
            throw Error(flow, config, document, key, message + more, null);
        }
    }

    private static void Collect(object? value, string path, List<(string, string)> errors, HashSet<object> seen)
    {
        // Only the user's own types are walked: framework values (DateTime, Uri, ...) have no annotations and some of
        // their properties recurse forever or throw.
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum
            || (value is not System.Collections.IEnumerable && IsFrameworkType(value.GetType())) || !seen.Add(value))
        {
            return;
        }
        if (value is System.Collections.IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                Collect(item, $"{path}[{i++}]", errors, seen);
            }
            return;
        }
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            errors.Add((Join(path, member is null ? "" : SnakeCase(member)), result.ErrorMessage ?? "is not valid"));
        }
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && (!IsFrameworkType(p.PropertyType) || p.PropertyType.IsGenericType)))
        {
            object? child;
            try
            {
                child = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                continue; // a computed property that cannot be read has nothing to validate
            }
            Collect(child, Join(path, SnakeCase(property.Name)), errors, seen);
        }
    }

    private static ConfigException Error(string flow, FlowConfig config, ConfigDocument document, string key, string message, Exception? inner)
    {
        var line = document.KeyLines.TryGetValue(key, out var l) ? l
            : document.KeyLines.Where(p => p.Key.StartsWith(key + ".", StringComparison.Ordinal)).Select(p => (int?)p.Value).Min();
        var where = key.Length == 0 ? "" : $", key '{key}'{(line is { } n ? $" (line {n})" : "")}";
        return new ConfigException(
            $"Flow '{flow}', config '{config.Name}' from {document.Source}{where}: {message}. Fix the value in {document.Source}, or pass another file with --config {config.Name}=PATH.",
            config.Name, document.Source, key, line, inner);
    }

    private static bool IsFrameworkType(Type type) => type.Namespace is { } ns && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal));

    /// <summary>
    /// A copy of the tree in which keys that name members of <paramref name="type"/> in another spelling (snake_case,
    /// kebab-case, any case) use the member's name; dictionary keys and unknown keys stay as written.
    /// </summary>
    private static JsonNode? Normalize(JsonNode? node, Type type)
    {
        switch (node)
        {
            case JsonObject obj when DictionaryValueType(type) is { } valueType:
                return new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value, valueType))));
            case JsonObject obj:
                var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (p.Name, Type: p.PropertyType))
                    .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => (f.Name, Type: f.FieldType)))
                    .ToArray();
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var member = members.FirstOrDefault(m => Simplify(m.Name) == Simplify(key));
                    var name = member.Name ?? key;
                    if (result.ContainsKey(name))
                    {
                        throw new JsonException($"Keys '{key}' and another spelling of it both set {name}.");
                    }
                    result[name] = Normalize(value, member.Type ?? typeof(object));
                }
                return result;
            case JsonArray array:
                var element = type.IsArray ? type.GetElementType()! : type.IsGenericType ? type.GetGenericArguments()[0] : typeof(object);
                return new JsonArray(array.Select(item => Normalize(item, element)).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private static Type? DictionaryValueType(Type type) => type.GetInterfaces().Append(type)
        .FirstOrDefault(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        ?.GetGenericArguments()[1];

    private static string Simplify(string key) => key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                text.Append('_');
            }
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    /// <summary>A dotted key from a JSON path like <c>$.Optimizer.Lr</c>, in the file's snake_case spelling.</summary>
    private static string KeyOf(string? jsonPath) => jsonPath is null ? "" : string.Join('.', jsonPath.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries).Select(SnakeCase));

    private static string Join(string path, string key) => key.Length == 0 ? path : path.Length == 0 ? key : $"{path}.{key}";
}
