using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Sharpflow.LanguageServer;

/// <summary>An artifact named at a position in a document: its flow, name, declared type and where the name is.</summary>
internal sealed record ArtifactReference(string Flow, string Name, string Type, int Line, int Column);

/// <summary>Syntax questions about a position in a flow document: which flow class, which steps and artifacts it has, what is under the cursor.</summary>
internal sealed class FlowSyntax
{
    private readonly SyntaxTree _tree;
    private readonly SourceText _text;

    public FlowSyntax(string text)
    {
        _text = SourceText.From(text);
        _tree = CSharpSyntaxTree.ParseText(_text, new CSharpParseOptions(LanguageVersion.Preview));
    }

    /// <summary>The step names to offer inside <c>Next(</c>/<c>Switch(</c>, or the artifact names inside <c>nameof(</c>; empty elsewhere.</summary>
    public IReadOnlyList<(string Label, string Kind)> CompletionsAt(int line, int character)
    {
        var position = Offset(line, character);
        var token = _tree.GetRoot().FindToken(Math.Max(0, position - 1));
        var flow = token.Parent?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        var invocation = token.Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (flow is null || invocation is null)
        {
            return [];
        }
        return Name(invocation) switch
        {
            "nameof" => Artifacts(flow).Select(a => (a, "artifact")).ToArray(),
            "Next" or "Switch" => Steps(flow).Select(s => (s.Identifier.Text, "step")).ToArray(),
            _ => [],
        };
    }

    /// <summary>Where the step named under the cursor is declared (for go to definition), or null.</summary>
    public (int Line, int Character, int Length)? StepDefinitionAt(int line, int character)
    {
        var token = _tree.GetRoot().FindToken(Offset(line, character));
        var flow = token.Parent?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        if (flow is null || !token.IsKind(SyntaxKind.IdentifierToken))
        {
            return null;
        }
        var step = Steps(flow).FirstOrDefault(s => s.Identifier.Text == token.Text);
        if (step is null)
        {
            return null;
        }
        var start = step.Identifier.GetLocation().GetLineSpan().StartLinePosition;
        return (start.Line, start.Character, step.Identifier.Text.Length);
    }

    /// <summary>The artifact (a public field or property of the enclosing flow class) named under the cursor, at its declaration or a use.</summary>
    public ArtifactReference? ArtifactAt(int line, int character)
    {
        var token = _tree.GetRoot().FindToken(Offset(line, character));
        var flow = token.Parent?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        if (flow is null || !token.IsKind(SyntaxKind.IdentifierToken))
        {
            return null;
        }
        // Another object's member (`input.Value`) is not this flow's artifact, unless reached through `this`.
        if (token.Parent is IdentifierNameSyntax { Parent: MemberAccessExpressionSyntax access } name && access.Name == name && access.Expression is not ThisExpressionSyntax)
        {
            return null;
        }
        var type = flow.Members.OfType<FieldDeclarationSyntax>().Where(f => f.Modifiers.Any(SyntaxKind.PublicKeyword))
                .Where(f => f.Declaration.Variables.Any(v => v.Identifier.Text == token.Text)).Select(f => f.Declaration.Type.ToString())
            .Concat(flow.Members.OfType<PropertyDeclarationSyntax>().Where(p => p.Modifiers.Any(SyntaxKind.PublicKeyword) && p.Identifier.Text == token.Text).Select(p => p.Type.ToString()))
            .FirstOrDefault();
        if (type is null)
        {
            return null;
        }
        var start = token.GetLocation().GetLineSpan().StartLinePosition;
        return new ArtifactReference(flow.Identifier.Text, token.Text, type, start.Line, start.Character);
    }

    private static IEnumerable<MethodDeclarationSyntax> Steps(ClassDeclarationSyntax flow) =>
        flow.Members.OfType<MethodDeclarationSyntax>().Where(m => m.AttributeLists.SelectMany(a => a.Attributes).Any(a => a.Name.ToString() is "Step" or "StepAttribute"));

    private static IEnumerable<string> Artifacts(ClassDeclarationSyntax flow) =>
        flow.Members.OfType<FieldDeclarationSyntax>().Where(f => f.Modifiers.Any(SyntaxKind.PublicKeyword)).SelectMany(f => f.Declaration.Variables.Select(v => v.Identifier.Text))
            .Concat(flow.Members.OfType<PropertyDeclarationSyntax>().Where(p => p.Modifiers.Any(SyntaxKind.PublicKeyword)).Select(p => p.Identifier.Text));

    private static string Name(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        IdentifierNameSyntax name => name.Identifier.Text,
        MemberAccessExpressionSyntax member => member.Name.Identifier.Text,
        _ => "",
    };

    private int Offset(int line, int character) =>
        line >= _text.Lines.Count ? _text.Length : Math.Min(_text.Lines[line].Start + character, _text.Length);
}
