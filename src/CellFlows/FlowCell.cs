using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using Sharpflow.Compute;
using Sharpflow.Graph;

namespace Sharpflow.CellFlows;

/// <summary>
/// A notebook cell that defines part of a flow: the flow cell (<c>#!flow-define</c>: parameters, configs, artifacts,
/// helpers) or a step cell (<c>#!step</c>: one step's transition, decorators and body). The body is the cell's text
/// after the directive line; <see cref="BodyLine"/> is the 0-based line of the cell where it starts.
/// </summary>
public abstract record FlowCell(string Flow, string Body, int BodyLine)
{
    /// <summary>Where the cell is, for messages and line mapping: a notebook cell URI, or a label such as <c>#!step train</c>.</summary>
    public string Source { get; init; } = "";

    /// <summary>The cell's directive line, as written.</summary>
    public string Directive { get; init; } = "";

    /// <summary>"step cell 'train'" or "flow cell", for messages.</summary>
    public abstract string Describe();
}

/// <summary>A <c>#!flow-define Churn [--base BaseFlow]</c> cell: the flow's members (parameters, configs, artifacts, helper methods and types).</summary>
public sealed record FlowDefinitionCell(string Flow, string Body, int BodyLine, string? BaseType) : FlowCell(Flow, Body, BodyLine)
{
    /// <inheritdoc />
    public override string Describe() => $"flow cell '{Flow}'";
}

/// <summary>A <c>#!step train --flow Churn --next evaluate ...</c> cell: one step of a flow.</summary>
public sealed record StepCell(string Flow, string Step, StepTransitionSpec Transition, IReadOnlyList<string> Decorators, string Body, int BodyLine)
    : FlowCell(Flow, Body, BodyLine)
{
    /// <inheritdoc />
    public override string Describe() => $"step cell '{Step}'";
}

/// <summary>How a step cell continues: the steps it names, and whether it is a foreach, a join or a switch.</summary>
public sealed record StepTransitionSpec(IReadOnlyList<string> Next, string? Foreach, bool Join, string? Switch, IReadOnlyList<KeyValuePair<string, string>> Cases)
{
    /// <summary>Every step the transition names.</summary>
    public IEnumerable<string> Targets => Next.Concat(Cases.Select(c => c.Value)).Distinct(StringComparer.Ordinal);

    /// <summary>The C# statement that ends the step (<c>Next(evaluate);</c>, <c>Switch(nameof(mode), ...);</c>), or null for End.</summary>
    public string? Statement() => Switch is not null
        ? $"Switch(nameof({Switch}), new() {{ {string.Join(", ", Cases.Select(c => $"[{SymbolDisplay.FormatLiteral(c.Key, quote: true)}] = {c.Value}"))} }});"
        : Next.Count == 0 ? null
        : Foreach is not null ? $"Next({Next[0]}, forEach: nameof({Foreach}));"
        : $"Next({string.Join(", ", Next)});";
}

/// <summary>Reads step and flow cell directives; every mistake is reported with the directive and what to write instead.</summary>
public static class FlowCellParser
{
    /// <summary>The directive of step cells.</summary>
    public const string StepDirective = "#!step";

    /// <summary>The directive of flow cells.</summary>
    public const string FlowDirective = "#!flow-define";

    private static readonly HashSet<string> StepOptions = new(StringComparer.Ordinal)
    {
        "flow", "next", "foreach", "join", "switch", "case", "retry", "catch", "timeout", "gpu", "cpu", "memory", "card", "with",
    };

    /// <summary>True when the cell's first non-blank line is a <c>#!step</c> or <c>#!flow-define</c> directive.</summary>
    public static bool IsFlowCell(string cellText) => DirectiveLine(cellText) is not null;

    /// <summary>The cell as a flow or step cell, or null when it is neither; throws <see cref="ArgumentException"/> for a malformed directive.</summary>
    public static FlowCell? Parse(string cellText, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(cellText);
        if (DirectiveLine(cellText) is not { } found)
        {
            return null;
        }
        var (index, line) = found;
        var lines = cellText.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var body = string.Join('\n', lines.Skip(index + 1));
        var magic = MagicLine.Parse(line);
        FlowCell cell = IsDirective(line.Trim(), FlowDirective) ? ParseFlow(magic, line, body, index + 1) : ParseStep(magic, line, body, index + 1);
        return cell with { Source = source ?? line.Trim(), Directive = line.Trim() };
    }

    /// <summary>Step names as the runtime knows them: <c>start</c> and <c>end</c> in any case are <c>Start</c> and <c>End</c>.</summary>
    public static string StepName(string name) =>
        string.Equals(name, FlowGraphNames.Start, StringComparison.OrdinalIgnoreCase) ? FlowGraphNames.Start
        : string.Equals(name, FlowGraphNames.End, StringComparison.OrdinalIgnoreCase) ? FlowGraphNames.End
        : name;

    private static (int Index, string Line)? DirectiveLine(string cellText)
    {
        var lines = cellText.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }
            return IsDirective(trimmed, StepDirective) || IsDirective(trimmed, FlowDirective) ? (i, lines[i]) : null;
        }
        return null;
    }

    private static bool IsDirective(string line, string directive) =>
        line.StartsWith(directive, StringComparison.Ordinal) && (line.Length == directive.Length || char.IsWhiteSpace(line[directive.Length]));

    private static FlowDefinitionCell ParseFlow(MagicLine magic, string line, string body, int bodyLine)
    {
        var name = magic.Arguments.Count == 1 ? Identifier(magic.Arguments[0], line, "flow name")
            : throw new ArgumentException($"`{line.Trim()}`: give the flow's name, e.g. `{FlowDirective} Churn`.");
        foreach (var option in magic.Options.Where(o => o.Key != "base"))
        {
            throw new ArgumentException($"`{line.Trim()}`: unknown option --{option.Key}. {FlowDirective} takes the flow name and optionally --base BaseFlowClass.");
        }
        return new FlowDefinitionCell(name, body, bodyLine, magic.Option("base"));
    }

    private static StepCell ParseStep(MagicLine magic, string line, string body, int bodyLine)
    {
        var directive = line.Trim();
        var step = magic.Arguments.Count == 1 ? StepName(Identifier(magic.Arguments[0], line, "step name"))
            : throw new ArgumentException($"`{directive}`: give the step's name, e.g. `{StepDirective} train --flow Churn --next evaluate`.");
        foreach (var unknown in magic.Options.Select(o => o.Key).Where(k => !StepOptions.Contains(k)).Distinct())
        {
            throw new ArgumentException($"`{directive}`: unknown option --{unknown}. Step cells take: {string.Join(", ", StepOptions.Order().Select(o => "--" + o))}.");
        }
        var flow = magic.Option("flow") is { } f ? Identifier(f, line, "flow name")
            : throw new ArgumentException($"`{directive}`: name the flow with --flow, e.g. `{StepDirective} {step} --flow Churn`.");

        var next = magic.All("next").Select(n => StepName(Identifier(n, line, "step name"))).ToArray();
        var cases = magic.All("case").Select(c => c.Split('=', 2) is [var value, var target] && value.Length > 0
                ? KeyValuePair.Create(value, StepName(Identifier(target, line, "step name")))
                : throw new ArgumentException($"`{directive}`: --case takes value=step, e.g. --case fast=quick."))
            .ToArray();
        var foreachList = magic.Option("foreach") is { } list ? Identifier(list, line, "artifact name") : null;
        var switchOn = magic.Option("switch") is { } condition ? Identifier(condition, line, "artifact name") : null;
        var join = magic.Option("join") is { } j && j != "false";
        if (foreachList is not null && next.Length != 1)
        {
            throw new ArgumentException($"`{directive}`: --foreach {foreachList} runs one step for each item; name exactly one with --next.");
        }
        if (switchOn is not null && (cases.Length == 0 || next.Length > 0))
        {
            throw new ArgumentException($"`{directive}`: --switch {switchOn} picks the next step by value; give --case value=step (repeatable) instead of --next.");
        }
        if (switchOn is null && cases.Length > 0)
        {
            throw new ArgumentException($"`{directive}`: --case needs --switch ARTIFACT, the artifact whose value picks the case.");
        }
        if (step == FlowGraphNames.End && (next.Length > 0 || switchOn is not null))
        {
            throw new ArgumentException($"`{directive}`: End is the last step; it has no --next.");
        }
        if (step != FlowGraphNames.End && next.Length == 0 && switchOn is null)
        {
            throw new ArgumentException($"`{directive}`: say where the flow goes after '{step}' with --next STEP (or --switch ARTIFACT --case value=step); only End has no next step.");
        }
        return new StepCell(flow, step, new StepTransitionSpec(next, foreachList, join, switchOn, cases), Decorators(magic, directive), body, bodyLine);
    }

    /// <summary>The attributes the options ask for, as C# (<c>Retry(Times = 2)</c>, <c>Resources(Gpu = 1)</c>, ...).</summary>
    private static string[] Decorators(MagicLine magic, string directive)
    {
        var decorators = new List<string>();
        if (magic.Option("retry") is { } retry)
        {
            decorators.Add(retry == "true" ? "Retry" : $"Retry(Times = {Number(retry, "--retry", directive)})");
        }
        if (magic.Option("catch") is { } catchVar)
        {
            decorators.Add(catchVar == "true" ? "Catch" : $"Catch(Var = {SymbolDisplay.FormatLiteral(catchVar, quote: true)})");
        }
        if (magic.Option("timeout") is { } timeout)
        {
            decorators.Add($"Timeout(Seconds = {Number(timeout, "--timeout", directive)})");
        }
        var resources = new List<string>();
        if (magic.Option("gpu") is { } gpu)
        {
            resources.Add($"Gpu = {Number(gpu, "--gpu", directive)}");
        }
        if (magic.Option("cpu") is { } cpu)
        {
            resources.Add($"Cpu = {Number(cpu, "--cpu", directive)}");
        }
        if (magic.Option("memory") is { } memory)
        {
            resources.Add($"Memory = {SymbolDisplay.FormatLiteral(memory, quote: true)}");
        }
        if (resources.Count > 0)
        {
            decorators.Add($"Resources({string.Join(", ", resources)})");
        }
        if (magic.Option("card") is { } card)
        {
            decorators.Add(card == "true" ? "Card" : $"Card(Type = {SymbolDisplay.FormatLiteral(card, quote: true)})");
        }
        if (magic.Option("with") is { } with)
        {
            decorators.Add(ComputeAttribute(with, directive));
        }
        return [.. decorators];
    }

    /// <summary>
    /// <c>--with slurm:partition=gpu</c> as the attribute it stands for, <c>global::Sharpflow.SlurmAttribute(Partition = "gpu")</c>:
    /// the backend comes from its add-on package, so a missing package is named here.
    /// </summary>
    private static string ComputeAttribute(string with, string directive)
    {
        try
        {
            var request = ComputeRequest.Parse(with);
            var backend = request.ResolveBackend();
            var type = backend.AttributeType
                ?? throw new ArgumentException($"--with {with}: the backend '{request.Backend}' has no step attribute; run the flow --with {request.Backend} instead.");
            var settings = request.TypedSettings(type).Select(s => $"{s.Property.Name} = {Literal(s.Value)}");
            return $"global::{type.FullName}({string.Join(", ", settings)})";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"`{directive}`: {e.Message}", e);
        }
    }

    private static string Literal(object value) => value switch
    {
        string text => SymbolDisplay.FormatLiteral(text, quote: true),
        bool flag => flag ? "true" : "false",
        Enum member => $"global::{member.GetType().FullName!.Replace('+', '.')}.{member}",
        double number => number.ToString("R", CultureInfo.InvariantCulture) + "d",
        float number => number.ToString("R", CultureInfo.InvariantCulture) + "f",
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"a setting of type {value.GetType().Name} cannot be written in a step cell."),
    };

    private static int Number(string value, string option, string directive) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
            : throw new ArgumentException($"`{directive}`: {option} takes a whole number, not '{value}'.");

    private static string Identifier(string value, string line, string what) =>
        SyntaxFacts.IsValidIdentifier(value) && SyntaxFacts.GetKeywordKind(value) == SyntaxKind.None ? value
            : throw new ArgumentException($"`{line.Trim()}`: '{value}' is not a valid {what} (a C# identifier such as train or Evaluate).");
}
