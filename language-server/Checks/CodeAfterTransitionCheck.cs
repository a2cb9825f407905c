using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sharpflow.LanguageServer.Checks;

/// <summary>
/// SF0101: a statement that still runs after <c>Next(...)</c> or <c>Switch(...)</c>. Walks out from each transition
/// through the blocks around it; a <c>return</c> or <c>throw</c> after the transition ends the search on that path.
/// </summary>
internal static class CodeAfterTransitionCheck
{
    public static IEnumerable<SourceFinding> Check(FlowSource flow)
    {
        foreach (var step in flow.Graph.Steps)
        {
            if (flow.StepMethod(step.Name)?.Body is not { } body)
            {
                continue; // expression-bodied steps are a single call
            }
            var transitions = body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .OfType<ExpressionStatementSyntax>()
                .Where(s => s.Expression is InvocationExpressionSyntax invocation && TransitionName(invocation) is not null);
            foreach (var transition in transitions)
            {
                if (FirstStatementAfter(transition, body) is { } after)
                {
                    var name = TransitionName((InvocationExpressionSyntax)transition.Expression)!;
                    yield return new SourceFinding(EditorRules.CodeAfterTransition.At(flow.Flow, step.Name, name), after.GetLocation());
                }
            }
        }
    }

    private static StatementSyntax? FirstStatementAfter(StatementSyntax transition, BlockSyntax body)
    {
        StatementSyntax current = transition;
        while (current != body)
        {
            if (current.Parent is BlockSyntax block)
            {
                foreach (var following in block.Statements.SkipWhile(s => s != current).Skip(1))
                {
                    if (following is ReturnStatementSyntax { Expression: null } or ThrowStatementSyntax)
                    {
                        return null; // the path ends here
                    }
                    if (following is not LocalFunctionStatementSyntax)
                    {
                        return following;
                    }
                }
            }
            var parent = current.Parent is ElseClauseSyntax clause ? clause.Parent : current.Parent;
            if (parent is not StatementSyntax statement)
            {
                return null; // a switch section, lambda or local function: not followed on this path
            }
            current = statement;
        }
        return null;
    }

    private static string? TransitionName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        IdentifierNameSyntax { Identifier.Text: "Next" or "Switch" } name => name.Identifier.Text,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.Text: "Next" or "Switch" } member => member.Name.Identifier.Text,
        _ => null,
    };
}
