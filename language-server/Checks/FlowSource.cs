using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sharpflow.Graph;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>A finding of an editor check: the diagnostic, where it goes, and optionally a related place in another file (a config's line).</summary>
internal sealed record SourceFinding(GraphDiagnostic Diagnostic, Location Location, RelatedLine? Related = null);

/// <summary>A line in another file that explains a finding (1-based line).</summary>
internal sealed record RelatedLine(string Path, int Line, string Message);

/// <summary>
/// One flow as the editor checks see it: the loaded type and its runtime graph (what the flow does), the Roslyn
/// compilation and symbol (what the source says), and the folders where relative files (config defaults) are looked for.
/// </summary>
internal sealed class FlowSource(Type flowType, FlowGraph graph, CSharpCompilation compilation, INamedTypeSymbol symbol, IReadOnlyList<string> searchDirectories)
{
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = [];

    /// <summary>The flow's name.</summary>
    public string Flow => flowType.Name;

    /// <summary>The flow type, loaded from the compiled document.</summary>
    public Type FlowType => flowType;

    /// <summary>The runtime's graph of the flow.</summary>
    public FlowGraph Graph => graph;

    /// <summary>The flow class's symbol.</summary>
    public INamedTypeSymbol Symbol => symbol;

    /// <summary>Folders searched for relative files, nearest first.</summary>
    public IReadOnlyList<string> SearchDirectories => searchDirectories;

    /// <summary>The semantic model of a tree of the compilation (cached).</summary>
    public SemanticModel Model(SyntaxTree tree)
    {
        if (!_models.TryGetValue(tree, out var model))
        {
            _models[tree] = model = compilation.GetSemanticModel(tree);
        }
        return model;
    }

    /// <summary>The flow class and its base classes up to (not including) <see cref="FlowSpec"/>.</summary>
    public IEnumerable<INamedTypeSymbol> Hierarchy()
    {
        for (var type = symbol; type is not null && type.Name != nameof(FlowSpec); type = type.BaseType)
        {
            yield return type;
        }
    }

    /// <summary>A step's method symbol (the most derived one), or null.</summary>
    public IMethodSymbol? StepSymbol(string step) => Hierarchy().SelectMany(t => t.GetMembers(step).OfType<IMethodSymbol>()).FirstOrDefault();

    /// <summary>The declaration of a step's method (the most derived one), or null when it has no source here.</summary>
    public MethodDeclarationSyntax? StepMethod(string step) => Hierarchy()
        .SelectMany(t => t.GetMembers(step).OfType<IMethodSymbol>())
        .SelectMany(m => m.DeclaringSyntaxReferences)
        .Select(r => r.GetSyntax())
        .OfType<MethodDeclarationSyntax>()
        .FirstOrDefault();

    /// <summary>The source declarations of the flow's own methods (steps and helpers), by symbol.</summary>
    public MethodDeclarationSyntax? Declaration(IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, symbol) || Hierarchy().Any(t => SymbolEqualityComparer.Default.Equals(t, method.ContainingType))
            ? method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault()
            : null;

    /// <summary>True when <paramref name="attributes"/> has an attribute named <paramref name="name"/> (with or without the Attribute suffix).</summary>
    public static bool Has(IEnumerable<AttributeData> attributes, string name) =>
        attributes.Any(a => a.AttributeClass?.Name is { } n && (n == name || n == name + "Attribute"));
}
