using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Sharpflow.Graph;

namespace Sharpflow.LanguageServer;

/// <summary>A text edit a quick fix makes: replace the 0-based range with <see cref="NewText"/>.</summary>
internal sealed record QuickFixEdit(int StartLine, int StartColumn, int EndLine, int EndColumn, string NewText);

/// <summary>A quick fix for one diagnostic: a title and the edit.</summary>
internal sealed record QuickFix(string Title, string RuleId, QuickFixEdit Edit);

/// <summary>
/// The fixes whose intent is obvious: a step without a transition gets <c>Next(End);</c> as its last statement
/// (SF0004), and a flow without an End step gets <c>[Step] public void End() { }</c> (SF0002).
/// </summary>
internal static class QuickFixes
{
    /// <summary>The fixes for a diagnostic with rule <paramref name="ruleId"/> whose range starts at (<paramref name="line"/>, <paramref name="column"/>).</summary>
    public static IReadOnlyList<QuickFix> For(string text, string ruleId, int line, int column)
    {
        var source = SourceText.From(text);
        var root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)).GetRoot();
        if (line >= source.Lines.Count)
        {
            return [];
        }
        var node = root.FindToken(source.Lines[line].Start + column).Parent;
        if (ruleId == GraphRules.MissingTransition.Id && node?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is { Body: { } body })
        {
            return [AddNextToEnd(source, body)];
        }
        if (ruleId == GraphRules.MissingEnd.Id && node?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault() is { } flow)
        {
            return [CreateEnd(source, flow)];
        }
        return [];
    }

    private static QuickFix AddNextToEnd(SourceText source, BlockSyntax body)
    {
        var close = source.Lines.GetLinePosition(body.CloseBraceToken.SpanStart);
        var open = source.Lines.GetLinePosition(body.OpenBraceToken.SpanStart);
        var call = $"Next({FlowGraphNames.End});";
        if (open.Line == close.Line)
        {
            // `{ }` or `{ Work(); }` on one line: the call goes just before the closing brace.
            var before = body.Statements.Count == 0 ? body.OpenBraceToken.Span.End : body.Statements[^1].Span.End;
            var at = source.Lines.GetLinePosition(before);
            return new QuickFix($"Add {call}", GraphRules.MissingTransition.Id, new QuickFixEdit(at.Line, at.Character, close.Line, close.Character, $" {call} "));
        }
        var indent = body.Statements.Count > 0 ? Indentation(source, body.Statements[^1].SpanStart) : Indentation(source, body.CloseBraceToken.SpanStart) + "    ";
        return new QuickFix($"Add {call}", GraphRules.MissingTransition.Id, new QuickFixEdit(close.Line, 0, close.Line, 0, $"{indent}{call}\n"));
    }

    private static QuickFix CreateEnd(SourceText source, ClassDeclarationSyntax flow)
    {
        var close = source.Lines.GetLinePosition(flow.CloseBraceToken.SpanStart);
        var end = $"[Step] public void {FlowGraphNames.End}() {{ }}";
        if (Indentation(source, flow.CloseBraceToken.SpanStart).Length != close.Character)
        {
            // The class closes on a line with other code: insert inline, just before the brace.
            return new QuickFix("Create the End step", GraphRules.MissingEnd.Id, new QuickFixEdit(close.Line, close.Character, close.Line, close.Character, $"{end} "));
        }
        var member = flow.Members.LastOrDefault();
        var indent = member is not null ? Indentation(source, member.SpanStart) : Indentation(source, flow.CloseBraceToken.SpanStart) + "    ";
        var separator = member is null ? "" : "\n";
        return new QuickFix("Create the End step", GraphRules.MissingEnd.Id,
            new QuickFixEdit(close.Line, 0, close.Line, 0, $"{separator}{indent}{end}\n"));
    }

    private static string Indentation(SourceText source, int position)
    {
        var line = source.Lines.GetLineFromPosition(position);
        var text = line.ToString();
        return text[..(text.Length - text.TrimStart().Length)];
    }
}
