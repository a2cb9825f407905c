using Microsoft.CodeAnalysis;
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
        foreach (var step in flow.Graph.Steps)
        {
            var method = flow.StepSymbol(step.Name);
            if (method is null || Disabled(method.GetAttributes()) || flow.StepMethod(step.Name) is not { } declaration)
            {
                continue;
            }
            if (FirstHazard(flow, declaration, []) is { } hazard)
            {
                yield return new SourceFinding(EditorRules.ReuseHazard.At(flow.Flow, step.Name, hazard.What), hazard.Node.GetLocation());
            }
        }
    }

    private static bool Disabled(IEnumerable<AttributeData> attributes) => attributes.Any(a =>
        a.AttributeClass?.Name is "ReuseAttribute" or "Reuse"
        && (a.ConstructorArguments is [{ Value: false }] || a.NamedArguments.Any(n => n.Key == "Enabled" && n.Value.Value is false)));

    /// <summary>The first read of outside state in <paramref name="method"/> or the flow's helpers it calls (each searched once).</summary>
    private static (SyntaxNode Node, string What)? FirstHazard(FlowSource flow, MethodDeclarationSyntax method, HashSet<MethodDeclarationSyntax> seen)
    {
        if (!seen.Add(method))
        {
            return null;
        }
        var model = flow.Model(method.SyntaxTree);
        foreach (var node in method.DescendantNodes().Where(n => n is MemberAccessExpressionSyntax or IdentifierNameSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or InvocationExpressionSyntax))
        {
            var symbol = model.GetSymbolInfo(node).Symbol;
            if (node is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax
                && symbol is IMethodSymbol { ContainingType: var created, Parameters.Length: 0 } && Name(created) == "System.Random")
            {
                return (node, "unseeded randomness (new Random())");
            }
            if (symbol is null || node is InvocationExpressionSyntax && symbol is not IMethodSymbol)
            {
                continue;
            }
            var owner = symbol.ContainingType is { } type ? Name(type) : "";
            var member = symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ? ".ctor" : symbol.Name;
            if (node is not InvocationExpressionSyntax && Hazards.FirstOrDefault(h => h.Type == owner && (h.Member == member || h.Member == "*")) is { What: { } what })
            {
                return (node, what);
            }
            if (node is InvocationExpressionSyntax && symbol is IMethodSymbol called && flow.Declaration(called) is { } helper && helper != method
                && FirstHazard(flow, helper, seen) is { } inHelper)
            {
                return (node, $"{inHelper.What} in {called.Name}()");
            }
        }
        return null;
    }

    private static string Name(INamedTypeSymbol type) => type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
