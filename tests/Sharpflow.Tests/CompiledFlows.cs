using System.Reflection;
using System.Runtime.Loader;
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
        var bytes = Compile($"CompiledFlows.Build{Interlocked.Increment(ref _builds)}", source, References.Value, optimization);
        var assembly = Assembly.Load(bytes);
        Packaging.FlowAssemblyImages.Register(assembly, bytes);
        return assembly.GetTypes().Single(t => t.Name == flowName);
    }

    /// <summary>
    /// Builds a library (a package, as the flow sees it) at <paramref name="libraryVersion"/>, then the flow against it,
    /// and loads both into a load context of their own, as an application restored with that package version would.
    /// </summary>
    public static Type BuildWithLibrary(string flowSource, string flowName, string libraryName, string librarySource, string libraryVersion)
    {
        var library = Compile(libraryName, $"[assembly: System.Reflection.AssemblyVersion(\"{libraryVersion}\")]\n{librarySource}", References.Value, OptimizationLevel.Release);
        var flow = Compile($"CompiledFlows.Build{Interlocked.Increment(ref _builds)}", flowSource, [.. References.Value, MetadataReference.CreateFromImage(library)], OptimizationLevel.Release);
        var context = new LibraryContext(libraryName, library);
        var assembly = context.LoadFromStream(new MemoryStream(flow));
        Packaging.FlowAssemblyImages.Register(assembly, flow);
        return assembly.GetTypes().Single(t => t.Name == flowName);
    }

    private static byte[] Compile(string name, string source, IEnumerable<MetadataReference> references, OptimizationLevel optimization)
    {
        var compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization, deterministic: true, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return image.ToArray();
    }

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(FlowSpec).Assembly.Location)
            .Where(File.Exists)
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>Resolves the library from its image; everything else (Sharpflow, the framework) from the default context.</summary>
    private sealed class LibraryContext(string libraryName, byte[] library) : AssemblyLoadContext($"CompiledFlows.{libraryName}")
    {
        private Assembly? _library;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == libraryName ? _library ??= LoadFromStream(new MemoryStream(library)) : null;
    }
}
