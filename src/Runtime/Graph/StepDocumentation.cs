using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Sharpflow.Graph;

/// <summary>
/// A step's description: the <c>&lt;summary&gt;</c> of its XML doc comment, read from the documentation file the compiler
/// writes beside the flow's assembly (<c>GenerateDocumentationFile</c>); none when the project makes no such file. A
/// NativeAOT program reads the description its publish recorded in the flow manifest.
/// </summary>
public static partial class StepDocumentation
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, string>> Files = new();

    /// <summary>The summary of the doc comment of <paramref name="step"/> (a step of <paramref name="flowType"/>, maybe declared on a base class) as one line of text, or null.</summary>
    public static string? Of(Type flowType, MethodInfo step)
    {
        ArgumentNullException.ThrowIfNull(flowType);
        ArgumentNullException.ThrowIfNull(step);
        if (!FlowManifest.IlIsReadable)
        {
            return FlowManifest.Step(flowType, step.Name).Description; // recorded by the publish
        }
        var summaries = Files.GetOrAdd(step.DeclaringType!.Assembly, Read);
        return summaries.GetValueOrDefault($"M:{step.DeclaringType.FullName?.Replace('+', '.')}.{step.Name}")
            ?? summaries.GetValueOrDefault($"M:{step.DeclaringType.FullName?.Replace('+', '.')}.{step.Name}({string.Join(",", step.GetParameters().Select(p => p.ParameterType.FullName?.Replace('+', '.')))})")
            ?? summaries.Where(s => s.Key.StartsWith($"M:{step.DeclaringType.FullName?.Replace('+', '.')}.{step.Name}(", StringComparison.Ordinal)).Select(s => s.Value).FirstOrDefault();
    }

    private static IReadOnlyDictionary<string, string> Read(Assembly assembly)
    {
        var file = Packaging.AssemblyFile.PathOf(assembly) is { } path ? Path.ChangeExtension(path, ".xml") : null;
        if (file is null || !File.Exists(file))
        {
            return new Dictionary<string, string>();
        }
        try
        {
            return XDocument.Load(file).Descendants("member")
                .Where(m => m.Attribute("name")?.Value.StartsWith("M:", StringComparison.Ordinal) == true && m.Element("summary") is not null)
                .GroupBy(m => m.Attribute("name")!.Value, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => OneLine(g.First().Element("summary")!), StringComparer.Ordinal);
        }
        catch (System.Xml.XmlException e)
        {
            // A damaged documentation file costs the descriptions, not the command: say so where it is read.
            Console.Error.WriteLine($"warning: step descriptions are not shown: the documentation file {file} is not valid XML ({e.Message})");
            return new Dictionary<string, string>();
        }
    }

    /// <summary>The summary's text with <c>&lt;see cref="..."/&gt;</c> as the name it points to, on one line.</summary>
    private static string OneLine(XElement summary)
    {
        foreach (var reference in summary.Descendants().Where(e => e.Name == "see" || e.Name == "paramref" || e.Name == "typeparamref").ToArray())
        {
            var target = reference.Attribute("cref")?.Value ?? reference.Attribute("name")?.Value ?? reference.Attribute("langword")?.Value ?? "";
            reference.ReplaceWith(target[(target.LastIndexOfAny([':', '.']) + 1)..]);
        }
        return Whitespace().Replace(summary.Value, " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
