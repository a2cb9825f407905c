using Microsoft.CodeAnalysis;

namespace Sharpflow.CellFlows;

/// <summary>A cell flow cannot be assembled or compiled; the message names the flow, the cell (its directive) and the cell's line.</summary>
public sealed class CellFlowException(string message, IReadOnlyList<CellProblem> problems) : Exception(message)
{
    /// <summary>Each problem with its cell and 1-based line in that cell.</summary>
    public IReadOnlyList<CellProblem> Problems { get; } = problems;

    /// <summary>A problem at a node of a cell's body.</summary>
    internal static CellFlowException At(FlowCell cell, SyntaxNode node, string message)
    {
        var line = cell.BodyLine + node.SyntaxTree.GetLineSpan(node.Span).StartLinePosition.Line + 1;
        var problem = new CellProblem(cell, line, "error", null, message);
        return new CellFlowException(problem.ToString(), [problem]);
    }
}

/// <summary>One problem in a cell: severity, compiler id (when it comes from the compiler) and message, at a 1-based line of the cell.</summary>
public sealed record CellProblem(FlowCell? Cell, int Line, string Severity, string? Id, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Cell is null
        ? $"{Severity}{(Id is null ? "" : " " + Id)}: {Message}"
        : $"Flow '{Cell.Flow}', {Cell.Describe()} (`{Cell.Directive}`), line {Line}: {Severity}{(Id is null ? "" : " " + Id)}: {Message}";
}
