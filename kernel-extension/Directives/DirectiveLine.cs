using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Commands;

namespace Sharpflow.Interactive.Directives;

/// <summary>
/// The directive line a command was parsed from, as the user wrote it. The magics read their options from it rather
/// than from the kernel's JSON binding, which in this kernel version drops a repeated option (<c>--tag a --tag b</c>)
/// and cannot bind one occurrence of an option to a list; the kernel's parser has already checked the line (known
/// directive, known option names) before the handler runs.
/// </summary>
internal static class DirectiveLine
{
    private static readonly ConditionalWeakTable<SubmitCode, Dictionary<string, int>> Taken = new();

    /// <summary>
    /// The cell (the submission) a directive command was split from. The kernel sets it as the command's parent when it
    /// splits a submission into commands.
    /// </summary>
    public static SubmitCode CellOf(KernelCommand command)
    {
        for (var ancestor = command.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            if (ancestor is SubmitCode cell)
            {
                return cell;
            }
        }
        throw new InvalidOperationException($"{command.GetType().Name} has no cell to read its directive from: send it as code (a SubmitCode), e.g. `#!flow-run MyFlow`.");
    }

    /// <summary>
    /// The text of the <paramref name="directive"/> line <paramref name="command"/> came from. When a cell holds the same
    /// directive more than once, the kernel runs them in order, so each call takes the next one.
    /// </summary>
    public static string Of(KernelCommand command, string directive)
    {
        var cell = CellOf(command);
        var lines = cell.Code.Split('\n').Select(l => l.Trim()).Where(l => Starts(l, directive)).ToArray();
        if (lines.Length == 0)
        {
            throw new InvalidOperationException($"The cell that ran {directive} does not contain a `{directive}` line.");
        }
        var taken = Taken.GetValue(cell, _ => new Dictionary<string, int>(StringComparer.Ordinal));
        lock (taken)
        {
            var index = taken.GetValueOrDefault(directive);
            taken[directive] = index + 1;
            return lines[Math.Min(index, lines.Length - 1)];
        }
    }

    private static bool Starts(string line, string directive) =>
        line.StartsWith(directive, StringComparison.Ordinal) && (line.Length == directive.Length || char.IsWhiteSpace(line[directive.Length]));
}
