using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sharpflow.Tests;

/// <summary>
/// Builds flow source with the C# compiler into a real assembly and loads it, as a project's build does: each call is
/// one build of the code as it stands (an edit is a second call with the changed source). Release, deterministic.
/// </summary>
internal static class CompiledFlows
{
    private static int _builds;

    /// <summary>Compiles <paramref name="source"/> and returns its type <paramref name="flowName"/> (any namespace).</summary>
    public static Type Build(string source, string flowName, OptimizationLevel optimization = OptimizationLevel.Release)
    {
        // Each build loads side by side with the others, so each gets its own assembly name (names are not hashed).
        var compilation = CSharpCompilation.Create($"CompiledFlows.Build{Interlocked.Increment(ref _builds)}",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview))],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization, deterministic: true, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var bytes = image.ToArray();
        var assembly = Assembly.Load(bytes);
        Packaging.FlowAssemblyImages.Register(assembly, bytes);
        return assembly.GetTypes().Single(t => t.Name == flowName);
    }

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(FlowSpec).Assembly.Location)
            .Where(File.Exists)
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());
}
