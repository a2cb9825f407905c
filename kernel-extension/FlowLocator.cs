using System.Reflection;
using Sharpflow.Graph;

namespace Sharpflow.Interactive;

/// <summary>
/// Finds a flow class by name among the loaded assemblies. Notebook cells compile into new assemblies, so the most
/// recently loaded definition wins: redefining a flow in a later cell replaces the earlier one.
/// </summary>
public static class FlowLocator
{
    /// <summary>The latest loaded flow type named <paramref name="name"/> (class name, or full name).</summary>
    public static Type Find(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var flows = AllFlows().ToArray();
        return flows.FirstOrDefault(t => t.Name == name || t.FullName == name)
            ?? throw new KeyNotFoundException(flows.Length == 0
                ? $"No flow named '{name}' is defined: declare `public class {name} : FlowSpec` in a cell first."
                : $"No flow named '{name}' is defined. Defined flows: {string.Join(", ", flows.Select(t => t.Name).Distinct())}.");
    }

    /// <summary>Every loaded, concrete flow type, latest definitions first.</summary>
    public static IEnumerable<Type> AllFlows() => AppDomain.CurrentDomain.GetAssemblies().Reverse()
        .Where(a => !a.IsDynamic || a.FullName is not null)
        .SelectMany(TypesOf)
        .Where(t => typeof(FlowSpec).IsAssignableFrom(t) && t is { IsAbstract: false, IsGenericTypeDefinition: false } && t != typeof(FlowSpec));

    /// <summary>The names of a flow's steps (for completions).</summary>
    public static IReadOnlyList<string> StepsOf(string flow) => FlowGraphExtractor.Extract(Find(flow)).Steps.Select(s => s.Name).ToArray();

    private static IEnumerable<Type> TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
