using System.Collections.Concurrent;
using System.Reflection;
using Sharpflow.Graph;

namespace Sharpflow.Config;

/// <summary>A config of a flow: a public settable property marked <see cref="ConfigAttribute"/>.</summary>
public sealed class FlowConfig
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<FlowConfig>> Cache = new();

    private FlowConfig(PropertyInfo property, ConfigAttribute attribute)
    {
        Property = property;
        Attribute = attribute;
    }

    /// <summary>The property.</summary>
    public PropertyInfo Property { get; }

    /// <summary>The attribute (name, default, parser, help).</summary>
    public ConfigAttribute Attribute { get; }

    /// <summary>The config's name.</summary>
    public string Name => Attribute.Name;

    /// <summary>The bound type.</summary>
    public Type Type => Property.PropertyType;

    /// <summary>The configs of a flow type, in declaration order.</summary>
    public static IReadOnlyList<FlowConfig> Of(Type flowType) => Cache.GetOrAdd(flowType, static t =>
    {
        var configs = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(ConfigAttribute), true))
            .InDeclarationOrder()
            .Select(p => p.CanRead && p.CanWrite
                ? new FlowConfig(p, p.GetCustomAttribute<ConfigAttribute>(true)!)
                : throw new InvalidOperationException($"Flow '{t.Name}': config property '{p.Name}' needs a public getter and setter."))
            .ToArray();
        foreach (var duplicate in configs.GroupBy(c => c.Name).Where(g => g.Count() > 1))
        {
            throw new InvalidOperationException($"Flow '{t.Name}' declares config '{duplicate.Key}' more than once ({string.Join(", ", duplicate.Select(c => c.Property.Name))}).");
        }
        return configs;
    });
}
