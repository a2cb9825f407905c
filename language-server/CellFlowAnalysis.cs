using Sharpflow.CellFlows;
using Sharpflow.Graph;
using Sharpflow.LanguageServer.Checks;

namespace Sharpflow.LanguageServer;

/// <summary>
/// The editor's view of a notebook's flow and step cells (<c>#!flow-define</c>, <c>#!step</c>): the cells are
/// assembled into their flows exactly as the kernel extension does (the shared <see cref="CellFlowSource"/>), each
/// flow is analysed like any flow document, and every diagnostic comes back to the cell and line it is in, through
/// the <c>#line</c> mapping of the assembled source. Compiler errors are reported too (no C# editor understands step
/// cells), and steps that cells name but none defines are flagged on the directive that names them.
/// </summary>
internal static class CellFlowAnalysis
{
    private const string CellPrefix = "cell:";

    /// <summary>Diagnostics and steps by cell index, for the cells at <paramref name="indices"/>.</summary>
    public static (Dictionary<int, List<FlowDiagnostic>> Diagnostics, Dictionary<int, List<FlowStepLocation>> Steps) Analyze(
        IReadOnlyList<string> cells, IEnumerable<int> indices, IReadOnlyList<string>? searchDirectories)
    {
        var diagnostics = new Dictionary<int, List<FlowDiagnostic>>();
        var steps = new Dictionary<int, List<FlowStepLocation>>();
        void Add(int cell, FlowDiagnostic diagnostic) => (diagnostics.TryGetValue(cell, out var list) ? list : diagnostics[cell] = []).Add(diagnostic);

        var catalog = new CellFlowCatalog();
        foreach (var index in indices)
        {
            try
            {
                if (FlowCellParser.Parse(cells[index], CellPrefix + index) is { } cell)
                {
                    catalog.Define(cell);
                }
            }
            catch (ArgumentException e)
            {
                var (line, text) = DirectiveOf(cells[index]);
                Add(index, new FlowDiagnostic(EditorRules.CellDirective.At("", null, e.Message), line, 0, line, text.Length));
            }
        }

        foreach (var flow in catalog.Flows)
        {
            CellFlowDocument document;
            try
            {
                document = CellFlowSource.Generate(flow, CellSourceStyle.Mapped);
            }
            catch (CellFlowException e)
            {
                foreach (var problem in e.Problems.Where(p => p.Cell is not null))
                {
                    var diagnostic = new GraphDiagnostic(EditorRules.CellDirective, flow.Name, null, problem.Message);
                    Add(CellIndex(problem.Cell!.Source), new FlowDiagnostic(diagnostic, problem.Line - 1, 0, problem.Line - 1, LineLength(cells[CellIndex(problem.Cell.Source)], problem.Line - 1)));
                }
                continue;
            }

            var analysis = FlowDocumentAnalyzer.Analyze(document.Source, flow.Name + ".cells.cs", searchDirectories: searchDirectories, reportCompileErrors: true, notebook: true);
            var incomplete = flow.MissingSteps.Count > 0;
            foreach (var diagnostic in analysis.Diagnostics)
            {
                if (diagnostic.Source is not { } source || !source.StartsWith(CellPrefix, StringComparison.Ordinal)
                    || (incomplete && GraphValidator.IsAboutLaterSteps(diagnostic.Diagnostic.Rule)))
                {
                    continue; // generated code (placeholders, the added End), or rules about steps not written yet
                }
                var index = CellIndex(source);
                Add(index, OnStepName(diagnostic, cells[index], document.CellsBySource[source]));
            }
            foreach (var step in analysis.Steps.Where(s => s.Source?.StartsWith(CellPrefix, StringComparison.Ordinal) == true))
            {
                var index = CellIndex(step.Source!);
                var (line, text) = DirectiveOf(cells[index]);
                (steps.TryGetValue(index, out var list) ? list : steps[index] = []).Add(step with { Line = line, Column = Math.Max(0, NameColumn(text, step.Step)) });
            }
            foreach (var missing in flow.MissingSteps)
            {
                var referrer = flow.ReferrerOf(missing)!;
                var index = CellIndex(referrer.Source);
                var (line, text) = DirectiveOf(cells[index]);
                var column = Math.Max(0, NameColumn(text, missing));
                Add(index, new FlowDiagnostic(EditorRules.UndefinedStepCell.At(flow.Name, referrer.Describe(), missing), line, column, line, column + missing.Length));
            }
        }
        return (diagnostics, steps);
    }

    /// <summary>A diagnostic on a step cell's directive line covers the step's name there (the generated signature's columns mean nothing to the cell).</summary>
    private static FlowDiagnostic OnStepName(FlowDiagnostic diagnostic, string cellText, FlowCell cell)
    {
        var (line, text) = DirectiveOf(cellText);
        if (diagnostic.StartLine != line)
        {
            return diagnostic;
        }
        var name = cell is StepCell step ? step.Step : cell.Flow;
        var column = NameColumn(text, name);
        return column < 0
            ? diagnostic with { StartColumn = 0, EndLine = line, EndColumn = text.Length }
            : diagnostic with { StartColumn = column, EndLine = line, EndColumn = column + name.Length };
    }

    private static int CellIndex(string source) => int.Parse(source[CellPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture);

    private static (int Line, string Text) DirectiveOf(string cell)
    {
        var lines = cell.Split('\n');
        var index = Array.FindIndex(lines, l => l.Trim().Length > 0);
        return index < 0 ? (0, "") : (index, lines[index].TrimEnd('\r'));
    }

    /// <summary>The column of <paramref name="name"/> as a whole word in the directive (case-insensitive: <c>start</c> is Start), or -1.</summary>
    private static int NameColumn(string directive, string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(directive, $@"(?<![\w-]){System.Text.RegularExpressions.Regex.Escape(name)}(?!\w)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return match.Success ? match.Index : -1;
    }

    private static int LineLength(string cell, int line) => cell.Split('\n') is var lines && line < lines.Length ? lines[line].TrimEnd('\r').Length : 0;
}
