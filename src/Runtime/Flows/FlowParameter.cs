using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Sharpflow;

/// <summary>A run parameter of a flow: a public settable property marked <see cref="ParameterAttribute"/>.</summary>
public sealed class FlowParameter
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<FlowParameter>> Cache = new();
    private static JsonSerializerOptions Json => Artifacts.DataJson.Options;

    private readonly Type? _type;

    private FlowParameter(PropertyInfo property, ParameterAttribute attribute)
    {
        Property = property;
        Name = attribute.Name ?? KebabCase(property.Name);
        Help = attribute.Help;
        Required = attribute.Required;
    }

    /// <summary>A parameter added by a mutator: no property; steps read it with <see cref="Current.Parameter{T}"/>.</summary>
    internal FlowParameter(string name, Type type, object? defaultValue, string? help, bool required)
    {
        Name = name;
        _type = type;
        DefaultValue = defaultValue;
        Help = help;
        Required = required;
    }

    /// <summary>The property, or null for a parameter added by a mutator.</summary>
    public PropertyInfo? Property { get; }

    /// <summary>The default of a parameter added by a mutator.</summary>
    public object? DefaultValue { get; }

    /// <summary>The name on the command line, without dashes (kebab-case of the property name unless given).</summary>
    public string Name { get; }

    /// <summary>The property's name (the parameter's name for one added by a mutator): the key its value is stored under.</summary>
    public string PropertyName => Property?.Name ?? Name;

    /// <summary>The value's type.</summary>
    public Type Type => Property?.PropertyType ?? _type!;

    /// <summary>Help text.</summary>
    public string? Help { get; }

    /// <summary>True when every run must give a value.</summary>
    public bool Required { get; }

    /// <summary>The parameters of a flow type, in declaration order.</summary>
    public static IReadOnlyList<FlowParameter> Of(Type flowType) => Cache.GetOrAdd(flowType, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(ParameterAttribute), true))
            .OrderBy(p => p.MetadataToken)
            .Select(p => p.CanWrite && p.CanRead
                ? new FlowParameter(p, p.GetCustomAttribute<ParameterAttribute>(true)!)
                : throw new InvalidOperationException($"Flow '{t.Name}': parameter '{p.Name}' needs a public getter and setter."))
            .ToArray());

    /// <summary>Parses a command-line value: strings as-is, numbers in invariant culture, booleans, enum names, anything else as JSON.</summary>
    public object? Parse(string text)
    {
        var type = Nullable.GetUnderlyingType(Type) ?? Type;
        try
        {
            if (type == typeof(string))
            {
                return text;
            }
            if (type.IsEnum)
            {
                return Enum.Parse(type, text, ignoreCase: true);
            }
            if (type == typeof(bool))
            {
                return bool.Parse(text);
            }
            if (type.IsPrimitive || type == typeof(decimal))
            {
                return Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
            }
            return JsonSerializer.Deserialize(text, type, Json);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or OverflowException or InvalidCastException)
        {
            var expected = type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}" : type.IsPrimitive || type == typeof(decimal) ? $"a {type.Name}" : $"JSON for {type.Name}";
            throw new ArgumentException($"Parameter --{Name}: '{text}' is not valid; expected {expected}.", e);
        }
    }

    /// <summary>The value as stored with the run (JSON text).</summary>
    public string ToJson(object? value) => JsonSerializer.Serialize(value, Type, Json);

    /// <summary>The default value as JSON text, read from <paramref name="defaults"/> (a new instance of the flow); null when the parameter is required.</summary>
    public string? DefaultJson(object defaults) => Required ? null : ToJson(Property!.GetValue(defaults));

    /// <summary>A new copy of the value from its stored JSON text.</summary>
    public object? FromJson(string json) => JsonSerializer.Deserialize(json, Type, Json);

    internal static string KebabCase(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                text.Append('-');
            }
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
