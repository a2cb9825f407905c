using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sharpflow.Artifacts;

/// <summary>
/// The compile-time JSON contexts named with <see cref="ArtifactJsonContextAttribute"/>: the entry assembly's, and those of
/// the assemblies that define the type asked for (its generic arguments and element type included). So a flow's contracts
/// apply wherever its assembly runs, with the same JSON: its program, the generic worker running one of its steps
/// remotely, a notebook, a test host.
/// </summary>
internal sealed class ArtifactJsonContexts : IJsonTypeInfoResolver
{
    private readonly ConcurrentDictionary<Assembly, JsonSerializerContext[]> _declared = new();

    /// <inheritdoc />
    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        var assemblies = new HashSet<Assembly>();
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            assemblies.Add(entry);
        }
        Collect(type, assemblies);
        foreach (var assembly in assemblies)
        {
            foreach (IJsonTypeInfoResolver context in _declared.GetOrAdd(assembly, Declared))
            {
                if (context.GetTypeInfo(type, options) is { } info)
                {
                    return info;
                }
            }
        }
        return null;
    }

    private static void Collect(Type type, HashSet<Assembly> assemblies)
    {
        assemblies.Add(type.Assembly);
        foreach (var part in type.HasElementType ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
        {
            Collect(part, assemblies);
        }
    }

    private static JsonSerializerContext[] Declared(Assembly assembly) => assembly.GetCustomAttributes<ArtifactJsonContextAttribute>().Select(attribute =>
        attribute.ContextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as JsonSerializerContext
        ?? throw new InvalidOperationException(
            $"[assembly: ArtifactJsonContext(typeof({attribute.ContextType.Name}))] in {assembly.GetName().Name} must name a JsonSerializerContext made by "
            + "System.Text.Json's source generator: a partial class deriving from JsonSerializerContext with a [JsonSerializable(typeof(T))] for each artifact type.")).ToArray();
}
