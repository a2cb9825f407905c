using System.Reflection;
using Sharpflow.Config;

namespace Sharpflow.Execution;

/// <summary>
/// Sets a decorator's properties from the config table its <c>From</c> names (<c>config.key...</c>): each key
/// (snake_case or PascalCase) must be a settable property of the decorator; values are converted to its type.
/// </summary>
internal static class ConfigDecoratorArguments
{
    public static void Apply(string flow, string step, Attribute decorator, MutableFlow mutable)
    {
        var from = ((IConfigurableDecorator)decorator).From!;
        var name = decorator.GetType().Name.Replace("Attribute", "", StringComparison.Ordinal);
        var parts = from.Split('.', 2);
        ConfigValue table;
        try
        {
            table = mutable.ConfigTree(parts[0]);
            if (parts.Length > 1)
            {
                table = parts[1].Split('.').Aggregate(table, (value, key) => value[key]);
            }
        }
        catch (KeyNotFoundException e)
        {
            throw new ConfigException($"Flow '{flow}', step '{step}': [{name}(From = \"{from}\")] cannot be resolved: {e.Message}", parts[0], from, from, null, e);
        }
        if (!table.IsObject)
        {
            throw new ConfigException($"Flow '{flow}', step '{step}': [{name}(From = \"{from}\")] must name a table of keys, but '{from}' is {table.ToJson()}.", parts[0], from, from);
        }
        var properties = decorator.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != nameof(IConfigurableDecorator.From)).ToArray();
        foreach (var key in table.Keys)
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
                ?? throw new ConfigException(
                    $"Flow '{flow}', step '{step}': config key '{from}.{key}' is not an argument of [{name}]; its arguments are: {string.Join(", ", properties.Select(p => p.Name))}.",
                    parts[0], from, $"{from}.{key}");
            try
            {
                property.SetValue(decorator, typeof(ConfigValue).GetMethod(nameof(ConfigValue.As))!.MakeGenericMethod(property.PropertyType).Invoke(table[key], null));
            }
            catch (TargetInvocationException e) when (e.InnerException is InvalidCastException cast)
            {
                throw new ConfigException($"Flow '{flow}', step '{step}': [{name}] argument {property.Name}: {cast.Message}", parts[0], from, $"{from}.{key}", null, cast);
            }
        }
    }
}
