using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sharpflow.Extensibility;
using Sharpflow.Graph;
using Sharpflow.LanguageServer.Checks;

namespace Sharpflow.LanguageServer;

/// <summary>A graph rule broken in a document, with the source range it applies to (0-based lines and columns).</summary>
internal sealed record FlowDiagnostic(GraphDiagnostic Diagnostic, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>A line in another file that explains the diagnostic (a config file's error line), or null.</summary>
    public Checks.RelatedLine? Related { get; init; }

    /// <summary>The file a <c>#line</c> directive maps the position to (a notebook cell of a cell flow), or null.</summary>
    public string? Source { get; init; }
}

/// <summary>A step of a flow found in a document: its name, the flow, and where its method is declared.</summary>
internal sealed record FlowStepLocation(string Flow, string Step, int Line, int Column)
{
    /// <summary>For a step with <c>[Resources]</c>: its compute backend (lower case), or "" when it has none; null for other steps.</summary>
    public string? Compute { get; init; }

    /// <summary>The step's transition as the runtime extracted it (e.g. <c>Next(Fit, forEach: "Models")</c>), or null.</summary>
    public string? Transition { get; init; }

    /// <summary>The step's attributes other than <c>[Step]</c>, as written (e.g. <c>Retry(Times = 2)</c>).</summary>
    public IReadOnlyList<string> Decorators { get; init; } = [];

    /// <summary>The file a <c>#line</c> directive maps the declaration to (a notebook cell of a cell flow), or null.</summary>
    public string? Source { get; init; }

    /// <summary>The step's code hash (<see cref="Graph.StepCode"/>) as this text compiles, to compare with what runs ran; null when not known.</summary>
    public string? CodeHash { get; init; }
}

/// <summary>What the analyzer found in a document: its flows' steps, the rules they break, and each flow's graph as SVG.</summary>
internal sealed record FlowAnalysis(IReadOnlyList<FlowStepLocation> Steps, IReadOnlyList<FlowDiagnostic> Diagnostics, IReadOnlyList<string> CompileErrors)
{
    /// <summary>Each flow's graph drawn as SVG (by flow name), for the "show graph" command.</summary>
    public IReadOnlyDictionary<string, string> Graphs { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Analyses a C# document the way the runtime will see it: compiles it in memory with Roslyn, loads it into a
/// collectible context, and runs the runtime's own graph extraction and validation on every flow class, so the editor
/// reports exactly the rules (ids, messages) that <c>check</c> and <c>run</c> report. Diagnostics are placed on the
/// step's method name, or on the class name for flow-level rules.
/// </summary>
internal static class FlowDocumentAnalyzer
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(File.Exists)
            .Where(p => !IsAddOn(p)) // a document sees an add-on only when its project (or notebook) has the package
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(FlowSpec).Assembly.Location))
            .DistinctBy(r => Path.GetFileName(r.Display))
            .ToArray());

    /// <summary>
    /// The add-ons this server ships (Slurm, SSH, Kubernetes, Argo): notebook cells compile against them, as the kernel
    /// does once the notebook adds their packages; a project's documents see only the packages the project has.
    /// </summary>
    private static readonly Lazy<MetadataReference[]> AddOnReferences = new(() =>
        [.. AddOns.Assemblies.Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location))]);

    private static bool IsAddOn(string path) =>
        AddOns.Assemblies.Any(a => string.Equals(a.GetName().Name, Path.GetFileNameWithoutExtension(path), StringComparison.OrdinalIgnoreCase))
        || OfficialAddOns.Attributes.Values.Contains(Path.GetFileNameWithoutExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>As <c>dotnet build</c> and <c>dotnet run</c> compile by default (Debug: DEBUG and TRACE defined, no optimization), so step code hashes match the build's.</summary>
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, preprocessorSymbols: ["DEBUG", "TRACE"]);

    /// <summary>The SDK's implicit usings (on in new projects and file-based apps), so documents compile as they do in their project.</summary>
    private static readonly SyntaxTree ImplicitUsings = CSharpSyntaxTree.ParseText("""
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """, ParseOptions);

    /// <summary>
    /// Analyses the C# cells of one notebook together, in order, as the kernel compiles them (script submissions);
    /// flow and step cells (<c>#!flow-define</c>, <c>#!step</c>) are assembled into their flows instead
    /// (<see cref="CellFlowAnalysis"/>). Returns each cell's analysis with lines relative to that cell.
    /// </summary>
    public static IReadOnlyList<FlowAnalysis> AnalyzeCells(IReadOnlyList<string> cells, IReadOnlyList<string>? searchDirectories = null)
    {
        var flowCells = Enumerable.Range(0, cells.Count).Where(i => CellFlows.FlowCellParser.IsFlowCell(cells[i])).ToHashSet();
        // Kernel lines (#r, #i, #!magics) are blanked, and flow/step cells entirely; each cell keeps its own lines so results map back.
        var starts = new List<int>();
        var combined = new System.Text.StringBuilder();
        var line = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            starts.Add(line);
            var lines = cells[i].Split('\n').Select(l => flowCells.Contains(i) || l.TrimStart().StartsWith('#') ? "" : l).ToArray();
            combined.Append(string.Join('\n', lines)).Append('\n');
            line += lines.Length;
        }
        var whole = Analyze(combined.ToString(), "notebook", null, script: true, searchDirectories: searchDirectories, notebook: true);
        var (cellDiagnostics, cellSteps) = flowCells.Count > 0
            ? CellFlowAnalysis.Analyze(cells, flowCells.Order(), searchDirectories)
            : ([], []);
        int CellOf(int l) => starts.FindLastIndex(s => s <= l);
        return cells.Select((_, i) => new FlowAnalysis(
            [.. whole.Steps.Where(s => CellOf(s.Line) == i).Select(s => s with { Line = s.Line - starts[i] }), .. cellSteps.GetValueOrDefault(i) ?? []],
            [.. whole.Diagnostics.Where(d => CellOf(d.StartLine) == i).Select(d => d with { StartLine = d.StartLine - starts[i], EndLine = d.EndLine - starts[i] }), .. cellDiagnostics.GetValueOrDefault(i) ?? []],
            i == 0 ? whole.CompileErrors : [])).ToArray();
    }

    /// <summary>
    /// Analyses the document at <paramref name="path"/> (current text <paramref name="text"/>) together with its project:
    /// the project's other sources (<paramref name="openText"/> gives editor buffers that differ from disk) and the
    /// assemblies its restore resolved, so flows that use packages or classes from other files are checked too.
    /// </summary>
    public static FlowAnalysis AnalyzeInProject(string text, string path, Func<string, string?>? openText = null, Func<string, bool>? hashStepsOf = null)
    {
        var project = ProjectContext.For(path, text);
        string[] folders = [Path.GetDirectoryName(path)!, .. project.ProjectFile is { } file ? [Path.GetDirectoryName(file)!] : Array.Empty<string>()];
        return Analyze(text, path, project.CompanionSources(path, openText ?? (_ => null)), project: project, searchDirectories: folders.Distinct().ToArray(), hashStepsOf: hashStepsOf);
    }

    /// <summary>
    /// Analyses <paramref name="text"/>; <paramref name="companions"/> are other sources of the same project it needs to
    /// compile, <paramref name="project"/> gives the assemblies the project compiles against; notebook code
    /// (<paramref name="notebook"/>) also compiles against the add-ons the server ships. The steps of the flows
    /// <paramref name="hashStepsOf"/> names get their code hash (<see cref="FlowStepLocation.CodeHash"/>): reading a
    /// step's code loads what it calls, which is worth it only for a flow that has runs to compare with.
    /// </summary>
    public static FlowAnalysis Analyze(
        string text, string path, IReadOnlyList<string>? companions = null, bool script = false, ProjectContext? project = null, IReadOnlyList<string>? searchDirectories = null,
        bool reportCompileErrors = false, bool notebook = false, Func<string, bool>? hashStepsOf = null)
    {
        project ??= ProjectContext.None;
        // File-based app directives (#:project, #:package) mean nothing to the compiler here; blank them, keeping lines.
        var source = string.Join('\n', text.Split('\n').Select(line => line.TrimStart().StartsWith("#:", StringComparison.Ordinal) ? "" : line));
        var tree = CSharpSyntaxTree.ParseText(source, script ? ParseOptions.WithKind(SourceCodeKind.Script) : ParseOptions, path);
        var root = tree.GetCompilationUnitRoot();
        var flowClasses = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Where(LooksLikeFlow).ToArray();
        var steps = flowClasses.SelectMany(c => c.Members.OfType<MethodDeclarationSyntax>()
                .Where(m => m.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() is "Step" or "StepAttribute" or "Sharpflow.Step"))
                .Select(m => StepAt(c.Identifier.Text, m.Identifier)))
            .ToArray();
        if (flowClasses.Length == 0)
        {
            return new FlowAnalysis([], [], []);
        }

        var companionTrees = (companions ?? []).Select(c => CSharpSyntaxTree.ParseText(c, ParseOptions)).ToArray();
        var kind = companionTrees.Prepend(tree).Any(t => t.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any())
            ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        var trees = companionTrees.Prepend(ImplicitUsings).Prepend(tree);
        var references = References.Value.Concat(notebook ? AddOnReferences.Value : []).Concat(project.MetadataReferences()).DistinctBy(r => Path.GetFileName(r.Display)).ToArray(); // the framework and runtime win
        var compilation = script
            ? CSharpCompilation.CreateScriptCompilation("SharpflowCells" + Guid.NewGuid().ToString("N"), tree, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks", "Sharpflow"]))
            : CSharpCompilation.Create("SharpflowEditor" + Guid.NewGuid().ToString("N"), trees, references,
                new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Annotations)); // annotations without the nullable flow analysis: same IL, less work per keystroke
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).ToArray();
            // An attribute of an add-on whose package is missing is named with the package, in every document.
            var missing = errors.Select(e => (Error: e, Finding: MissingAddOnCheck.Check(e)))
                .DistinctBy(m => m.Finding is null ? (object)m.Error : (m.Error.Location.SourceTree, m.Error.Location.SourceSpan)).ToArray(); // [Slurm] is looked up as Slurm and SlurmAttribute
            // Documents the C# editor does not check itself (cell flows) get the compiler's other errors as diagnostics.
            var reported = missing.Where(m => m.Finding is not null).Select(m => At(m.Finding!, m.Error.Location))
                .Concat(reportCompileErrors
                    ? missing.Where(m => m.Finding is null).Select(m => At(new GraphDiagnostic(new GraphRule(m.Error.Id, "compiler", RuleSeverity.Error, "{2}"), "", null, m.Error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)), m.Error.Location))
                    : [])
                .ToArray();
            return new FlowAnalysis(steps, reported, errors.Select(d => d.ToString()).ToArray());
        }

        var context = new AssemblyLoadContext("sharpflow-editor", isCollectible: true);
        // The document's packages (ML.NET, Plotly.NET, ...) load into the same collectible context when its types need them.
        context.Resolving += (loader, name) => name.Name is { } simple && project.RuntimeAssemblies.TryGetValue(simple, out var file) ? loader.LoadFromAssemblyPath(file) : null;
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var diagnostics = new List<FlowDiagnostic>();
            var graphs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var type in Types(assembly).Where(t => typeof(FlowSpec).IsAssignableFrom(t) && !t.IsAbstract))
            {
                var declaration = flowClasses.FirstOrDefault(c => c.Identifier.Text == type.Name);
                if (declaration is null)
                {
                    continue;
                }
                var graph = FlowGraphExtractor.Extract(type);
                graphs[type.Name] = GraphSvgRenderer.Render(graph, _ => "pending");
                foreach (var diagnostic in GraphValidator.Validate(graph))
                {
                    var anchor = diagnostic.Step is { } step
                        ? declaration.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.Text == step)?.Identifier ?? declaration.Identifier
                        : declaration.Identifier;
                    diagnostics.Add(At(diagnostic, anchor.GetLocation()));
                }
                var symbol = (INamedTypeSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration)!;
                var flow = new FlowSource(type, graph, compilation, symbol, searchDirectories ?? []);
                diagnostics.AddRange(EditorChecks.Run(flow).Where(f => f.Location.SourceTree == tree).Select(f => At(f.Diagnostic, f.Location) with { Related = f.Related }));
                steps = steps.Select(s => s.Flow == type.Name ? Describe(s, graph, symbol, declaration) with { CodeHash = hashStepsOf?.Invoke(graph.FlowName) == true ? CodeHashOf(type, graph, s.Step) : null } : s).ToArray();
            }
            return new FlowAnalysis(steps, diagnostics, []) { Graphs = graphs };
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// The step's code hash as a run of this text would record it (<see cref="StepCode"/>), or null when its IL cannot be
    /// read (then the editor just does not say whether it changed; a run says why when it records it).
    /// </summary>
    private static string? CodeHashOf(Type flowType, FlowGraph graph, string step)
    {
        if (graph.Find(step) is not { } node)
        {
            return null;
        }
        try
        {
            return StepCode.Of(flowType, node).Hash;
        }
        catch (Exception e) when (StepCode.IsUnreadable(e))
        {
            return null;
        }
    }

    /// <summary>Adds what the runtime and the source say of a step: its transition, decorators and compute backend.</summary>
    private static FlowStepLocation Describe(FlowStepLocation step, FlowGraph graph, INamedTypeSymbol flow, ClassDeclarationSyntax declaration)
    {
        var method = flow.GetMembers(step.Step).OfType<IMethodSymbol>().FirstOrDefault();
        var syntax = declaration.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.Identifier.Text == step.Step);
        return step with
        {
            Transition = graph.Find(step.Step)?.Transition?.ToString(),
            Decorators = syntax?.AttributeLists.SelectMany(l => l.Attributes).Select(a => a.ToString()).Where(a => a is not ("Step" or "StepAttribute" or "Sharpflow.Step")).ToArray() ?? [],
            Compute = method is not null && GpuBackendCheck.HasResources(method) ? GpuBackendCheck.BackendOf(method) ?? "" : null,
        };
    }

    /// <summary>A diagnostic at a location, as <c>#line</c> maps it (cell flows map each line to its cell).</summary>
    private static FlowDiagnostic At(GraphDiagnostic diagnostic, Location location)
    {
        var span = location.GetMappedLineSpan();
        return new FlowDiagnostic(diagnostic, span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character)
        {
            Source = span.HasMappedPath ? span.Path : null,
        };
    }

    private static FlowStepLocation StepAt(string flow, SyntaxToken identifier)
    {
        var span = identifier.GetLocation().GetMappedLineSpan();
        return new FlowStepLocation(flow, identifier.Text, span.StartLinePosition.Line, span.StartLinePosition.Character) { Source = span.HasMappedPath ? span.Path : null };
    }

    private static bool LooksLikeFlow(ClassDeclarationSyntax declaration) =>
        declaration.BaseList?.Types.Any() == true || declaration.Members.OfType<MethodDeclarationSyntax>()
            .Any(m => m.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() == "Step"));

    private static IEnumerable<Type> Types(Assembly assembly)
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
