using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// SF0112 (information): a step that may be reused (no <c>[Reuse(false)]</c> on it or its flow) reads state its
/// fingerprint cannot see: the clock, unseeded randomness, new GUIDs, environment variables, files or the network. With
/// <c>run --reuse</c> and in notebook step cells its earlier result would be taken. The step's body and the flow's own
/// helper methods it calls are searched; the first such read in the step is reported, at the read.
/// </summary>
internal static class ReuseHazardCheck
{
    /// <summary>Members whose value changes between runs, by containing type and member name ("*": any member).</summary>
    private static readonly (string Type, string Member, string What)[] Hazards =
    [
        ("System.DateTime", "Now", "the clock (DateTime.Now)"),
        ("System.DateTime", "UtcNow", "the clock (DateTime.UtcNow)"),
        ("System.DateTime", "Today", "the clock (DateTime.Today)"),
        ("System.DateTimeOffset", "Now", "the clock (DateTimeOffset.Now)"),
        ("System.DateTimeOffset", "UtcNow", "the clock (DateTimeOffset.UtcNow)"),
        ("System.TimeProvider", "GetUtcNow", "the clock (TimeProvider)"),
        ("System.Guid", "NewGuid", "a new GUID"),
        ("System.Random", "Shared", "unseeded randomness (Random.Shared)"),
        ("System.Environment", "GetEnvironmentVariable", "an environment variable"),
        ("System.IO.File", "*", "a file (System.IO.File)"),
        ("System.IO.Directory", "*", "a folder (System.IO.Directory)"),
        ("System.IO.FileStream", ".ctor", "a file (FileStream)"),
        ("System.IO.StreamReader", ".ctor", "a file (StreamReader)"),
        ("System.Net.Http.HttpClient", "*", "the network (HttpClient)"),
    ];

    public static IEnumerable<SourceFinding> Check(FlowSource flow)
    {
        if (Disabled(flow.Symbol.GetAttributes()))
        {
            yield break;
        }
        IReadOnlySet<string>? helpers = null;
        foreach (var step in flow.Graph.Steps)
        {
            var method = flow.StepSymbol(step.Name);
            if (method is null || Disabled(method.GetAttributes()) || flow.StepMethod(step.Name) is not { } declaration)
            {
                continue;
            }
            if (FirstHazard(flow, declaration, helpers ??= HelperNames(flow.Symbol), []) is { } hazard)
            {
                yield return new SourceFinding(EditorRules.ReuseHazard.At(flow.Flow, step.Name, hazard.What), hazard.Node.GetLocation());
            }
        }
    }

    private static bool Disabled(IEnumerable<AttributeData> attributes) => attributes.Any(a =>
        a.AttributeClass?.Name is "ReuseAttribute" or "Reuse"
        && (a.ConstructorArguments is [{ Value: false }] || a.NamedArguments.Any(n => n.Key == "Enabled" && n.Value.Value is false)));

    /// <summary>The first read of outside state in <paramref name="method"/> or the flow's helpers it calls (each searched once).</summary>
    private static (SyntaxNode Node, string What)? FirstHazard(FlowSource flow, MethodDeclarationSyntax method, IReadOnlySet<string> helpers, HashSet<MethodDeclarationSyntax> seen)
    {
        if (!seen.Add(method))
        {
            return null;
        }
        var model = flow.Model(method.SyntaxTree);
        var usingStatic = method.SyntaxTree.GetCompilationUnitRoot().Usings.Any(u => u.StaticKeyword.IsKind(SyntaxKind.StaticKeyword));
        foreach (var node in method.DescendantNodes().Where(n => MayReadOutsideState(n, helpers, usingStatic)))
        {
            var symbol = model.GetSymbolInfo(node).Symbol;
            if (node is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax
                && symbol is IMethodSymbol { ContainingType: var created, Parameters.Length: 0 } && Name(created) == "System.Random")
            {
                return (node, "unseeded randomness (new Random())");
            }
            if (symbol is null)
            {
                continue;
            }
            var owner = symbol.ContainingType is { } type ? Name(type) : "";
            var member = symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ? ".ctor" : symbol.Name;
            if (Hazards.FirstOrDefault(h => h.Type == owner && (h.Member == member || h.Member == "*")) is { What: { } what })
            {
                return (node, what);
            }
            if (node.Parent is InvocationExpressionSyntax call && call.Expression == node && symbol is IMethodSymbol called
                && flow.Declaration(called) is { } helper && helper != method && FirstHazard(flow, helper, helpers, seen) is { } inHelper)
            {
                return (call, $"{inHelper.What} in {called.Name}()");
            }
        }
        return null;
    }

    /// <summary>The members of the hazards that have a name of their own (not every member of a type, not a constructor).</summary>
    private static readonly HashSet<string> HazardMembers = new(Hazards.Select(h => h.Member).Where(m => m is not ("*" or ".ctor")), StringComparer.Ordinal);

    /// <summary>The types every member of which is a hazard, when code names them (<c>File.ReadAllText</c>).</summary>
    private static readonly HashSet<string> WholeTypes = new(Hazards.Where(h => h.Member == "*").Select(h => h.Type[(h.Type.LastIndexOf('.') + 1)..]), StringComparer.Ordinal);

    /// <summary>How an <c>HttpClient</c>'s requests are named (<c>GetStringAsync</c>, <c>PostAsync</c>, <c>SendAsync</c>, ...), on a variable of any name.</summary>
    private static readonly string[] RequestPrefixes = ["Get", "Post", "Put", "Patch", "Delete", "Send"];

    /// <summary>
    /// The nodes worth binding, found by their spelling so that a step whose body cannot read outside state is not bound
    /// at all: member accesses named like a hazard member, on <c>File</c> or <c>Directory</c>, like an HTTP request or
    /// like a flow helper; object creations; bare calls of flow helpers (any bare call under a <c>using static</c>);
    /// bare names spelled like a hazard member. The binding then decides.
    /// </summary>
    private static bool MayReadOutsideState(SyntaxNode node, IReadOnlySet<string> helpers, bool usingStatic) => node switch
    {
        ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax => true,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText is var name
            && (HazardMembers.Contains(name) || helpers.Contains(name) || RequestPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
                || (access.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax && WholeTypes.Contains(access.Expression.ToString().Split('.')[^1]))),
        IdentifierNameSyntax bare => bare.Parent is not (MemberAccessExpressionSyntax or QualifiedNameSyntax)
            && (HazardMembers.Contains(bare.Identifier.ValueText)
                || (bare.Parent is InvocationExpressionSyntax call && call.Expression == bare && (usingStatic || helpers.Contains(bare.Identifier.ValueText)))),
        _ => false,
    };

    /// <summary>The names of the methods the flow and its base flows declare in source (its helpers and steps).</summary>
    private static HashSet<string> HelperNames(INamedTypeSymbol flow)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var type = flow; type is not null && type.DeclaringSyntaxReferences.Length > 0; type = type.BaseType)
        {
            names.UnionWith(type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).Select(m => m.Name));
        }
        return names;
    }

    private static string Name(INamedTypeSymbol type) => type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
