using Sharpflow.Graph;

namespace Sharpflow.Interactive;

/// <summary>Finds the flows a notebook has defined (in C# cells, flow/step cells or referenced assemblies), latest definition first.</summary>
public static class FlowLocator
{
    /// <summary>The latest loaded flow type named <paramref name="name"/> (class name, or full name).</summary>
    public static Type Find(string name) => LoadedFlows.Find(name) ?? throw new KeyNotFoundException(LoadedFlows.All.Count == 0
        ? $"No flow named '{name}' is defined: declare `public class {name} : FlowSpec` in a cell first (then run it from a later cell).{ReferencedHint}"
        : $"No flow named '{name}' is defined. Defined flows: {string.Join(", ", AllFlows().Select(t => t.Name).Distinct())}.{ReferencedHint}");

    private const string ReferencedHint = " A flow in an assembly referenced with #r is found once the assembly is loaded: use one of its types in a cell first (e.g. typeof(MyFlow)).";

    /// <summary>Every loaded, concrete flow type, latest definitions first.</summary>
    public static IReadOnlyList<Type> AllFlows() => LoadedFlows.All;

    /// <summary>The names of a flow's steps (for completions).</summary>
    public static IReadOnlyList<string> StepsOf(string flow) => FlowGraphExtractor.Extract(Find(flow)).Steps.Select(s => s.Name).ToArray();
}
