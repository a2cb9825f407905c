using System.Globalization;
using System.Reflection;
using Sharpflow.Extensibility;

namespace Sharpflow.Compute;

/// <summary>
/// A <c>--with NAME[:key=value,...]</c> request for a compute backend (<c>slurm:partition=gpu,time_limit_minutes=30</c>):
/// the backend's name and settings for its attribute, each a property in snake_case or PascalCase.
/// </summary>
/// <param name="Text">The request as written.</param>
/// <param name="Backend">The backend's name.</param>
/// <param name="Settings">The settings, in order.</param>
public sealed record ComputeRequest(string Text, string Backend, IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    /// <summary>The backend names <c>--with</c> can take: those of the add-ons here, then the official ones not added yet.</summary>
    public static IReadOnlyList<string> KnownBackends =>
        [.. AddOns.ComputeBackends.Select(b => b.Name).Concat(OfficialAddOns.Backends.Keys).Distinct(StringComparer.Ordinal)];

    /// <summary>Reads <c>NAME[:key=value,...]</c>.</summary>
    public static ComputeRequest Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return new ComputeRequest(text, text.Trim(), []);
        }
        var settings = text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2) is [var key, var value] && key.Trim().Length > 0 ? KeyValuePair.Create(key.Trim(), value.Trim())
                : throw new ArgumentException($"--with {text}: '{pair}' is not key=value."))
            .ToArray();
        return new ComputeRequest(text, text[..colon].Trim(), settings);
    }

    /// <summary>The backend asked for; a missing one is an error naming the package that brings it.</summary>
    public IComputeBackend ResolveBackend()
    {
        try
        {
            return AddOns.ComputeBackend(Backend);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"--with {Text}: {e.Message}", e);
        }
    }

    /// <summary>The backend's attribute with the settings put on it (null for a backend without an attribute and no settings).</summary>
    public IComputeAttribute? Attribute(IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend.AttributeType is not { } type)
        {
            return Settings.Count == 0 ? null : throw new ArgumentException($"--with {Text}: the backend '{Backend}' takes no settings.");
        }
        var attribute = (IComputeAttribute)Activator.CreateInstance(type)!;
        foreach (var (property, value) in TypedSettings(type))
        {
            property.SetValue(attribute, value);
        }
        return attribute;
    }

    /// <summary>Each setting as the attribute property it names and its value converted to that property's type.</summary>
    public IReadOnlyList<(PropertyInfo Property, object Value)> TypedSettings(Type attributeType)
    {
        ArgumentNullException.ThrowIfNull(attributeType);
        var properties = attributeType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic).ToArray();
        return [.. Settings.Select(setting =>
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, setting.Key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"--with {Text}: [{AttributeName(attributeType)}] has no setting '{setting.Key}'. Its settings are: {string.Join(", ", properties.Select(p => SnakeCase(p.Name)))}.");
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            try
            {
                return (property, target.IsEnum ? Enum.Parse(target, setting.Value, ignoreCase: true) : Convert.ChangeType(setting.Value, target, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or ArgumentException or OverflowException)
            {
                throw new ArgumentException($"--with {Text}: {setting.Key} takes a {target.Name}, not '{setting.Value}'.", e);
            }
        })];
    }

    /// <summary>The name an attribute is written with (<c>Slurm</c> for <c>SlurmAttribute</c>).</summary>
    public static string AttributeName(Type attributeType)
    {
        ArgumentNullException.ThrowIfNull(attributeType);
        return attributeType.Name.EndsWith("Attribute", StringComparison.Ordinal) ? attributeType.Name[..^"Attribute".Length] : attributeType.Name;
    }

    /// <summary><c>minutes_between</c> for <c>MinutesBetween</c>: how <c>--with</c> and error messages write a name.</summary>
    public static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));
}
