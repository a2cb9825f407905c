using System.Reflection;

namespace Sharpflow;

/// <summary>
/// The concrete flow classes of every assembly loaded in this process, newest assembly first. Notebook cells compile
/// into new assemblies, so the most recently loaded definition of a class name wins (a flow redefined in a later cell
/// replaces the earlier one). Each assembly is scanned once, when it loads, and only when it references Sharpflow.
/// </summary>
public static class LoadedFlows
{
    private static readonly Lock Gate = new();
    private static readonly NewAssemblies Assemblies = new();
    private static readonly string RuntimeName = typeof(FlowSpec).Assembly.GetName().Name!;
    private static List<Type> _newestFirst = [];

    /// <summary>Every loaded, concrete flow type, the latest definitions first.</summary>
    public static IReadOnlyList<Type> All
    {
        get
        {
            lock (Gate)
            {
                ScanPending();
                return _newestFirst;
            }
        }
    }

    /// <summary>The latest loaded flow type named <paramref name="name"/> (class name or full name), or null.</summary>
    public static Type? Find(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return All.FirstOrDefault(t => t.Name == name || t.FullName == name);
    }

    private static void ScanPending()
    {
        var found = new List<Type>();
        foreach (var assembly in Assemblies.Take().Where(MayDeclareFlows))
        {
            found.InsertRange(0, FlowTypesOf(assembly));
        }
        if (found.Count > 0)
        {
            _newestFirst = [.. found, .. _newestFirst]; // a new list, so callers may keep enumerating the old one
        }
    }

    private static bool MayDeclareFlows(Assembly assembly) =>
        assembly == typeof(FlowSpec).Assembly || assembly.GetReferencedAssemblies().Any(r => r.Name == RuntimeName);

    private static IEnumerable<Type> FlowTypesOf(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types; // the types that did load; the others cannot be flows anyone runs
        }
        return types.OfType<Type>()
            .Where(t => typeof(FlowSpec).IsAssignableFrom(t) && t is { IsAbstract: false, IsGenericTypeDefinition: false } && t != typeof(FlowSpec))
            .Reverse();
    }
}
