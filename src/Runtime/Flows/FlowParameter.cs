using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Sharpflow.Graph;

namespace Sharpflow;

/// <summary>
/// A run parameter of a flow: a public settable property marked <see cref="ParameterAttribute"/>, or a file included in
/// the run (<see cref="IncludeFileAttribute"/>), whose stored value is an <see cref="IncludedFileRecord"/>.
/// </summary>
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

    private FlowParameter(Type flowType, PropertyInfo property, IncludeFileAttribute attribute)
    {
        if (property.PropertyType != typeof(string) && property.PropertyType != typeof(byte[]))
        {
            throw new InvalidOperationException($"Flow '{flowType.Name}': [IncludeFile] property '{property.Name}' is a {property.PropertyType.Name}; "
                + "it must be a string (the file's text) or a byte[] (its bytes).");
        }
        Property = property;
        Name = attribute.Name ?? KebabCase(property.Name);
        Help = attribute.Help;
        Required = attribute.Required;
        IncludesFile = true;
        DefaultPath = attribute.Default;
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

    /// <summary>True for a file included in the run (<see cref="IncludeFileAttribute"/>): the value given is a path.</summary>
    public bool IncludesFile { get; }

    /// <summary>The file an <see cref="IncludesFile"/> parameter reads when none is given, or null.</summary>
    public string? DefaultPath { get; }

    /// <summary>The parameters of a flow type, in declaration order.</summary>
    public static IReadOnlyList<FlowParameter> Of(Type flowType) => Cache.GetOrAdd(flowType, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(ParameterAttribute), true) || p.IsDefined(typeof(IncludeFileAttribute), true))
            .InDeclarationOrder()
            .Select(p => !p.CanWrite || !p.CanRead
                ? throw new InvalidOperationException($"Flow '{t.Name}': parameter '{p.Name}' needs a public getter and setter.")
                : p.GetCustomAttribute<IncludeFileAttribute>(true) is { } file ? new FlowParameter(t, p, file)
                : new FlowParameter(p, p.GetCustomAttribute<ParameterAttribute>(true)!))
            .ToArray());

    /// <summary>
    /// Parses a command-line value: strings as-is, numbers in invariant culture, booleans, enum names, anything else as
    /// JSON; for an included file, a path (or the stored <see cref="IncludedFileRecord"/> JSON a deployment passes on).
    /// </summary>
    public object? Parse(string text)
    {
        if (IncludesFile)
        {
            return text.StartsWith('{') ? JsonSerializer.Deserialize<IncludedFileRecord>(text, Json)! : new IncludedFileRecord(text);
        }
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

    /// <summary>The value as stored with the run (JSON text); for an included file, its record (or its content, when given that).</summary>
    public string ToJson(object? value) => value is IncludedFileRecord file
        ? JsonSerializer.Serialize(file, Json)
        : JsonSerializer.Serialize(value, Type, Json);

    /// <summary>
    /// The default value as JSON text, read from <paramref name="defaults"/> (a new instance of the flow); for an included
    /// file, its default path; null when the parameter is required.
    /// </summary>
    public string? DefaultJson(object defaults) => Required ? null
        : IncludesFile ? JsonSerializer.Serialize(DefaultPath, Json)
        : ToJson(Property!.GetValue(defaults));

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
