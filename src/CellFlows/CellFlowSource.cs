using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sharpflow.Graph;

namespace Sharpflow.CellFlows;

/// <summary>How the assembled source is written.</summary>
public enum CellSourceStyle
{
    /// <summary>For compiling in the notebook or editor: <c>#line</c> directives map every line back to its cell.</summary>
    Mapped,

    /// <summary>A clean, formatted flow file (see <see cref="CellFlowExporter"/>).</summary>
    Clean,
}

/// <summary>The C# source of a cell flow: one class with a method per step cell, and the cells' types and usings.</summary>
public sealed record CellFlowDocument(string FlowName, string Source, IReadOnlyDictionary<string, FlowCell> CellsBySource);

/// <summary>
/// Assembles a flow class from its cells. A cell body is read as C# script: <c>using</c> lines and type declarations
/// move to the top of the file; declarations with an access modifier or attributes (<c>public double Accuracy;</c>,
/// <c>[Parameter] public int Epochs { get; set; } = 10;</c>, <c>private static double Score(...)</c>) become members of
/// the flow class, so a step cell declares the typed artifacts it writes (the same declaration in several cells is one
/// member); everything else (statements, local variables
/// and functions) is the step's body, followed by the transition the directive describes.
/// </summary>
public static class CellFlowSource
{
    private static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

    /// <summary>The usings every cell flow has (the SDK's implicit usings and Sharpflow).</summary>
    public static readonly IReadOnlyList<string> DefaultUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks", "Sharpflow"];

    /// <summary>
    /// The flow's source. Steps that cells name but none defines get a placeholder that throws when run (so the steps
    /// before them can run); an End nobody wrote is an empty step. Throws <see cref="CellFlowException"/> for a cell
    /// body that cannot be a step (a top-level <c>return</c>, statements in the flow cell).
    /// </summary>
    public static CellFlowDocument Generate(CellFlow flow, CellSourceStyle style)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var writer = new SourceWriter(style);
        var cells = new Dictionary<string, FlowCell>(StringComparer.Ordinal);
        var parts = new List<(FlowCell Cell, CellParts Parts)>();
        foreach (var cell in new FlowCell?[] { flow.Definition }.Concat(flow.IncludedSteps).OfType<FlowCell>())
        {
            cells[cell.Source] = cell;
            parts.Add((cell, Split(cell)));
        }

        var usings = DefaultUsings.Select(u => $"using {u};")
            .Concat(parts.SelectMany(p => p.Parts.Usings.Select(u => u.ToString().Trim())))
            .Distinct(StringComparer.Ordinal);
        foreach (var line in usings)
        {
            writer.Line(0, line);
        }
        writer.Blank();
        if (style == CellSourceStyle.Mapped)
        {
            WriteTypes(writer, parts);
        }

        writer.Line(0, $"public class {flow.Name} : {flow.Definition?.BaseType ?? nameof(FlowSpec)}");
        writer.Line(0, "{");
        // An artifact two cells declare alike (`public int value;` in both branches of a split) is one member.
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (cell, cellParts) in parts)
        {
            foreach (var member in cellParts.Members.Where(m => declared.Add(m.WithoutTrivia().NormalizeWhitespace().ToFullString())))
            {
                writer.Chunk(1, cell, member);
            }
        }
        foreach (var (cell, cellParts) in parts.Where(p => p.Cell is StepCell))
        {
            WriteStep(writer, flow, (StepCell)cell, cellParts);
        }
        foreach (var missing in flow.MissingSteps)
        {
            var referrer = flow.ReferrerOf(missing);
            writer.Blank();
            writer.Line(1, "[Step]");
            writer.Line(1, $"public void {missing}() => throw new System.InvalidOperationException(\"Flow '{flow.Name}': no cell defines step '{missing}' yet (named by {referrer?.Describe() ?? "a step cell"}). Add `{FlowCellParser.StepDirective} {missing} --flow {flow.Name} ...`.\");");
        }
        if (flow.IncludedSteps.All(s => s.Step != FlowGraphNames.End))
        {
            writer.Blank();
            writer.Line(1, $"[Step] public void {FlowGraphNames.End}() {{ }}");
        }
        writer.Line(0, "}");
        if (style == CellSourceStyle.Clean)
        {
            writer.Blank();
            WriteTypes(writer, parts);
        }
        return new CellFlowDocument(flow.Name, writer.ToString(), cells);
    }

    private static void WriteTypes(SourceWriter writer, List<(FlowCell Cell, CellParts Parts)> parts)
    {
        foreach (var (cell, cellParts) in parts)
        {
            foreach (var type in cellParts.Types)
            {
                writer.Chunk(0, cell, type);
                writer.Blank();
            }
        }
    }

    private static void WriteStep(SourceWriter writer, CellFlow flow, StepCell cell, CellParts parts)
    {
        writer.Blank();
        writer.Map(cell, -1); // the signature maps to the directive line, where the editor shows step diagnostics
        writer.Line(1, $"[{string.Join(", ", new[] { "Step" }.Concat(cell.Decorators))}]");
        var parameters = cell.Transition.Join ? $"Inputs<{flow.Name}> inputs" : "";
        writer.Line(1, parts.IsAsync ? $"public async Task {cell.Step}({parameters})" : $"public void {cell.Step}({parameters})");
        writer.Unmap();
        writer.Line(1, "{");
        foreach (var statement in parts.Statements)
        {
            writer.Chunk(2, cell, statement);
        }
        if (cell.Transition.Statement() is { } transition)
        {
            writer.Map(cell, -1);
            writer.Line(2, transition);
            writer.Unmap();
        }
        writer.Line(1, "}");
    }

    private sealed record CellParts(IReadOnlyList<SyntaxNode> Usings, IReadOnlyList<SyntaxNode> Types, IReadOnlyList<SyntaxNode> Members, IReadOnlyList<SyntaxNode> Statements, bool IsAsync);

    /// <summary>Sorts a cell body into usings, types, flow members and step statements.</summary>
    private static CellParts Split(FlowCell cell)
    {
        var root = CSharpSyntaxTree.ParseText(cell.Body, ScriptParse).GetCompilationUnitRoot();
        var types = new List<SyntaxNode>();
        var members = new List<SyntaxNode>();
        var statements = new List<SyntaxNode>();
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.Add(member);
                    break;
                case MemberDeclarationSyntax declared when declared is not GlobalStatementSyntax && (declared.Modifiers.Any(IsAccessibility) || declared.AttributeLists.Count > 0 || declared.Modifiers.Any(SyntaxKind.StaticKeyword)):
                    members.Add(member);
                    break;
                default:
                    statements.Add(member); // statements, locals (`var x = 1;`) and local functions
                    break;
            }
        }
        if (cell is FlowDefinitionCell && statements.Count > 0)
        {
            throw CellFlowException.At(cell, statements[0],
                "only declarations belong in the flow cell (parameters, configs, artifacts, helper methods, types); put statements in step cells");
        }
        foreach (var statement in statements)
        {
            if (OwnNodes(statement).OfType<ReturnStatementSyntax>().FirstOrDefault() is { } early)
            {
                throw CellFlowException.At(cell, early,
                    "a step cell's body runs to its end, where the transition is; use if/else instead of `return` (returns inside lambdas and local functions are fine)");
            }
        }
        var isAsync = statements.SelectMany(OwnNodes).Any(n => n is AwaitExpressionSyntax or ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword }
            or UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } or LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword });
        return new CellParts(root.Usings, types, members, statements, isAsync);
    }

    /// <summary>The nodes of a statement that belong to the step itself: not inside lambdas or local functions.</summary>
    private static IEnumerable<SyntaxNode> OwnNodes(SyntaxNode statement) =>
        statement.DescendantNodesAndSelf(n => n == statement || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MethodDeclarationSyntax));

    private static bool IsAccessibility(SyntaxToken token) =>
        token.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.InternalKeyword;

    /// <summary>Writes lines; in mapped style, chunks of cell text are preceded by <c>#line</c> directives naming their cell and line.</summary>
    private sealed class SourceWriter(CellSourceStyle style)
    {
        private readonly StringBuilder _text = new();

        public void Line(int indent, string line) => _text.Append(' ', indent * 4).Append(line).Append('\n');

        public void Blank() => _text.Append('\n');

        /// <summary>Maps the following lines to the cell's line <paramref name="bodyLine"/> of its body (-1: the directive line).</summary>
        public void Map(FlowCell cell, int bodyLine)
        {
            if (style == CellSourceStyle.Mapped)
            {
                var cellLine = bodyLine < 0 ? cell.BodyLine - 1 : cell.BodyLine + bodyLine;
                _text.Append("#line ").Append(cellLine + 1).Append(" \"").Append(cell.Source.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal)).Append("\"\n");
            }
        }

        public void Unmap()
        {
            if (style == CellSourceStyle.Mapped)
            {
                _text.Append("#line default\n");
            }
        }

        /// <summary>
        /// A piece of cell text with its comments: in mapped style exactly as written, whole lines (so lines and
        /// columns both match the cell); in clean style re-indented for its place in the class.
        /// </summary>
        public void Chunk(int indent, FlowCell cell, SyntaxNode node)
        {
            var leading = node.GetLeadingTrivia();
            // Blank lines before the node belong to the layout, not the chunk; comments stay with it.
            var skipped = leading.TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia)).Sum(t => t.FullSpan.Length);
            var source = node.SyntaxTree.GetText();
            var first = source.Lines.GetLineFromPosition(node.FullSpan.Start + skipped);
            // Through the end of the node's trailing trivia, so a comment at the end of its last line stays.
            var lines = source.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(first.Start, node.FullSpan.End)).TrimEnd('\n', '\r').Split('\n');
            Map(cell, first.LineNumber);
            if (style == CellSourceStyle.Mapped)
            {
                foreach (var line in lines)
                {
                    _text.Append(line.TrimEnd('\r')).Append('\n');
                }
            }
            else
            {
                var dedent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
                foreach (var line in lines.Select(l => l.TrimEnd('\r')))
                {
                    if (line.Trim().Length == 0)
                    {
                        _text.Append('\n');
                    }
                    else
                    {
                        Line(indent, line.Length >= dedent ? line[dedent..] : line.TrimStart());
                    }
                }
            }
            Unmap();
        }

        public override string ToString() => _text.ToString();
    }
}
