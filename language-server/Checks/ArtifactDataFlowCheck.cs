using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// SF0102: a step reads an artifact that no step upstream of it (in the runtime's graph) assigns, and that has no
/// initial value, so it can only read null (the C# counterpart of Metaflow's AttributeError). Only artifacts whose
/// default is null are considered: a value type's zero (a counter, a flag) is a defined start that code relies on. Assignments and reads are collected from the step's body and
/// from the flow's own helper methods it calls; a step that assigns the artifact itself is not reported.
/// Parameters, configs and members with initializers always have a value and are not artifacts in question here.
/// </summary>
internal static class ArtifactDataFlowCheck
{
    public static IEnumerable<SourceFinding> Check(FlowSource flow)
    {
        var candidates = Candidates(flow);
        if (candidates.Count == 0)
        {
            return [];
        }
        var uses = flow.Graph.Steps.ToDictionary(s => s.Name, s => Uses(flow, flow.StepMethod(s.Name), candidates), StringComparer.Ordinal);
        var findings = new List<SourceFinding>();
        foreach (var step in flow.Graph.Steps)
        {
            var own = uses[step.Name];
            var upstream = flow.Graph.Ancestors(step.Name).SelectMany(s => uses[s].Assigned).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, location) in own.Reads.Where(r => !own.Assigned.Contains(r.Name) && !upstream.Contains(r.Name)).DistinctBy(r => r.Name))
            {
                findings.Add(new SourceFinding(EditorRules.ArtifactReadBeforeAssigned.At(flow.Flow, step.Name, name), location));
            }
        }
        return findings;
    }

    /// <summary>Public instance fields and auto-properties without initial values, that are not parameters, configs or transient.</summary>
    private static Dictionary<string, ITypeSymbol> Candidates(FlowSource flow)
    {
        var candidates = new Dictionary<string, ITypeSymbol>(StringComparer.Ordinal);
        foreach (var member in flow.Hierarchy().SelectMany(t => t.GetMembers()))
        {
            if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public || member.IsImplicitlyDeclared
                || FlowSource.Has(member.GetAttributes(), "Parameter") || FlowSource.Has(member.GetAttributes(), "Config") || FlowSource.Has(member.GetAttributes(), "Transient"))
            {
                continue;
            }
            var declaration = member.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
            var type = declaration switch
            {
                VariableDeclaratorSyntax { Initializer: null } when member is IFieldSymbol { IsConst: false } field => field.Type,
                PropertyDeclarationSyntax { Initializer: null, ExpressionBody: null, AccessorList: { } accessors } when member is IPropertySymbol property
                    && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null) => property.Type,
                _ => null,
            };
            if (type is { IsReferenceType: true } or { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T })
            {
                candidates.TryAdd(member.Name, type);
            }
        }
        return candidates;
    }

    private sealed record StepUses(HashSet<string> Assigned, List<(string Name, Location Location)> Reads);

    /// <summary>What a step's body (and the flow's helper methods it calls, transitively) assigns and reads.</summary>
    private static StepUses Uses(FlowSource flow, MethodDeclarationSyntax? method, IReadOnlyDictionary<string, ITypeSymbol> candidates)
    {
        var uses = new StepUses(new HashSet<string>(StringComparer.Ordinal), []);
        var helpers = flow.Hierarchy().SelectMany(t => t.GetMembers()).OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !FlowSource.Has(m.GetAttributes(), "Step")).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var pending = new Queue<MethodDeclarationSyntax>(method is null ? [] : [method]);
        var seen = new HashSet<MethodDeclarationSyntax>();
        while (pending.TryDequeue(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }
            var model = flow.Model(current.SyntaxTree);
            var locals = LocalNames(current);
            foreach (var node in current.DescendantNodes())
            {
                // Only calls that name one of the flow's own helper methods are bound (Next, Console.WriteLine, ... are not).
                if (node is InvocationExpressionSyntax invocation && helpers.Contains(CalledName(invocation))
                    && model.GetSymbolInfo(invocation).Symbol is IMethodSymbol callee
                    && !FlowSource.Has(callee.GetAttributes(), "Step") && flow.Declaration(callee) is { } helper)
                {
                    pending.Enqueue(helper);
                }
                if (node is not SimpleNameSyntax name || !candidates.ContainsKey(name.Identifier.Text) || !IsOwnMember(name) || InsideNameof(name)
                    || !NamesTheMember(name, locals, model))
                {
                    continue;
                }
                var target = name.Parent is MemberAccessExpressionSyntax { Name: var n } access && n == name ? access : (ExpressionSyntax)name;
                if (IsDeconstructionTarget(target))
                {
                    uses.Assigned.Add(name.Identifier.Text);
                    continue;
                }
                switch (target.Parent)
                {
                    case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }:
                        uses.Assigned.Add(name.Identifier.Text); // x++ reads and writes; the step's own write means it is not reported
                        break;
                    case AssignmentExpressionSyntax assignment when assignment.Left == target:
                        uses.Assigned.Add(name.Identifier.Text);
                        if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && !assignment.IsKind(SyntaxKind.CoalesceAssignmentExpression))
                        {
                            uses.Reads.Add((name.Identifier.Text, name.GetLocation()));
                        }
                        break;
                    case ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.OutKeyword }:
                        uses.Assigned.Add(name.Identifier.Text);
                        break;
                    default:
                        uses.Reads.Add((name.Identifier.Text, name.GetLocation()));
                        break;
                }
            }
        }
        return uses;
    }

    /// <summary>
    /// True when the name refers to the flow's field or property. Decided from syntax (binding every name of a
    /// 500-line flow on each keystroke is the slow part); only a name that a local, parameter or pattern of the
    /// method also declares is bound with the semantic model.
    /// </summary>
    private static bool NamesTheMember(SimpleNameSyntax name, HashSet<string> locals, SemanticModel model)
    {
        if (name.Parent is NameColonSyntax or NameEqualsSyntax
            || (name.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } initializer && initializer.Left == name))
        {
            return false; // a named argument, or another object's member in an object/with initializer
        }
        return !locals.Contains(name.Identifier.Text)
            || model.GetSymbolInfo(name).Symbol is IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false };
    }

    /// <summary>Every name a method declares: parameters (its own and its lambdas'), locals, loop and pattern variables, catch variables.</summary>
    private static HashSet<string> LocalNames(MethodDeclarationSyntax method) =>
        method.DescendantNodes().Select(n => n switch
        {
            ParameterSyntax p => p.Identifier.Text,
            VariableDeclaratorSyntax v => v.Identifier.Text,
            SingleVariableDesignationSyntax d => d.Identifier.Text,
            ForEachStatementSyntax f => f.Identifier.Text,
            CatchDeclarationSyntax c => c.Identifier.Text,
            LocalFunctionStatementSyntax l => l.Identifier.Text,
            _ => null,
        }).OfType<string>().ToHashSet(StringComparer.Ordinal);

    private static string CalledName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        IdentifierNameSyntax name => name.Identifier.Text,
        GenericNameSyntax generic => generic.Identifier.Text,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax } member => member.Name.Identifier.Text,
        _ => "",
    };

    /// <summary>True for <c>X</c> in <c>(X, Y) = ...</c> (nested tuples too).</summary>
    private static bool IsDeconstructionTarget(ExpressionSyntax target)
    {
        SyntaxNode node = target;
        while (node.Parent is ArgumentSyntax { Parent: TupleExpressionSyntax tuple })
        {
            if (tuple.Parent is AssignmentExpressionSyntax assignment && assignment.Left == tuple)
            {
                return true;
            }
            node = tuple;
        }
        return false;
    }

    /// <summary>Unqualified (<c>X</c>) or <c>this.X</c>/<c>base.X</c>: the flow's own member, not another instance's (<c>input.X</c>).</summary>
    private static bool IsOwnMember(SimpleNameSyntax name) =>
        name.Parent is not MemberAccessExpressionSyntax access || access.Name != name || access.Expression is ThisExpressionSyntax or BaseExpressionSyntax;

    private static bool InsideNameof(SyntaxNode node) =>
        node.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.Text: "nameof" });
}
