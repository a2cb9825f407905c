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
            value = Normalize(document.Tree).Deserialize(config.Type, Options);
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
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
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
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            Collect(property.GetValue(value), Join(path, SnakeCase(property.Name)), errors, seen);
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

    /// <summary>A copy of the tree with snake_case/kebab-case keys turned into PascalCase member names.</summary>
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(PascalCase(p.Key), Normalize(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Normalize).ToArray()),
        _ => node?.DeepClone(),
    };

    private static string PascalCase(string key) => key.Contains('_') || key.Contains('-')
        ? string.Concat(key.Split('_', '-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]))
        : key;

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
