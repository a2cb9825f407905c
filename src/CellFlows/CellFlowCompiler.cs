using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sharpflow.CellFlows;

/// <summary>
/// Compiles a cell flow with Roslyn against the notebook's references and loads it, so the runtime's graph
/// extraction, validation and task runner apply to it as to any flow. Compiler errors come back mapped to the cell
/// and line they are in.
/// </summary>
public sealed class CellFlowCompiler
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MetadataReference> ReferenceCache = new(StringComparer.Ordinal);
    private static int _generation;
    private readonly Func<IEnumerable<string>> _extra;

    /// <summary>
    /// A compiler whose references are the framework, the runtime, every assembly already loaded from disk, and the
    /// assembly paths <paramref name="extraReferences"/> gives at each compile (the notebook's NuGet packages, which it
    /// may add at any time and which are not loaded until used).
    /// </summary>
    public CellFlowCompiler(Func<IEnumerable<string>>? extraReferences = null)
    {
        _extra = extraReferences ?? (() => []);
    }

    /// <summary>Compiles the document and loads it; returns the flow type. Throws <see cref="CellFlowException"/> on compile errors.</summary>
    public Type Compile(CellFlowDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var name = $"Sharpflow.Cells.{document.FlowName}.{Interlocked.Increment(ref _generation)}";
        var compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText(document.Source, new CSharpParseOptions(LanguageVersion.Preview), path: document.FlowName + ".cells.cs")],
            References(_extra().ToArray()),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Annotations));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            var problems = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => Problem(document, d)).ToArray();
            throw new CellFlowException($"Flow '{document.FlowName}' does not compile:\n" + string.Join('\n', problems.Select(p => p.ToString())), problems);
        }
        var bytes = image.ToArray();
        var assembly = Assembly.Load(bytes);
        Packaging.FlowAssemblyImages.Register(assembly, bytes); // so remote steps can ship it in a code package
        return assembly.GetType(document.FlowName)
            ?? throw new InvalidOperationException($"The compiled cells of flow '{document.FlowName}' have no class {document.FlowName}.");
    }

    private static CellProblem Problem(CellFlowDocument document, Diagnostic diagnostic)
    {
        var mapped = diagnostic.Location.GetMappedLineSpan();
        return document.CellsBySource.TryGetValue(mapped.Path, out var cell)
            ? new CellProblem(cell, mapped.StartLinePosition.Line + 1, "error", diagnostic.Id, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture))
            : new CellProblem(null, 0, "error", diagnostic.Id, $"(in the generated flow) {diagnostic}");
    }

    /// <summary>Recomputed for each compile (the notebook may have loaded packages since); each file is read once.</summary>
    private static MetadataReference[] References(IReadOnlyList<string> extra) =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Concat(extra)
            .Where(File.Exists)
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(p => ReferenceCache.GetOrAdd(p, static path => MetadataReference.CreateFromFile(path)))
            .ToArray();
}
