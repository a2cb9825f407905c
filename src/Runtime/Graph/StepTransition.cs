namespace Sharpflow.Graph;

/// <summary>How a step hands over to the next: one step, a static branch, a foreach, or a switch.</summary>
public enum TransitionKind
{
    /// <summary><c>Next(A)</c>.</summary>
    Linear,
    /// <summary><c>Next(A, B, ...)</c>: branches run in parallel and meet in a join.</summary>
    Branch,
    /// <summary><c>Next(A, forEach: nameof(List))</c>: one task of A per list item.</summary>
    Foreach,
    /// <summary><c>Switch(nameof(Artifact), cases)</c>: the artifact's value picks exactly one next step.</summary>
    Switch,
}

/// <summary>One case of a switch: when the condition's value equals <paramref name="Value"/>, go to <paramref name="Step"/>.</summary>
public sealed record SwitchCase(string Value, string Step);

/// <summary>A step's transition, as extracted from the compiled flow or recorded when the step ran.</summary>
public sealed record StepTransition(
    TransitionKind Kind,
    IReadOnlyList<string> Targets,
    string? ForeachVariable = null,
    string? SwitchCondition = null,
    IReadOnlyList<SwitchCase>? SwitchCases = null)
{
    internal static StepTransition Linear(string target) => new(TransitionKind.Linear, [target]);

    internal static StepTransition Branch(IReadOnlyList<string> targets) => new(TransitionKind.Branch, targets);

    internal static StepTransition Foreach(string target, string variable) => new(TransitionKind.Foreach, [target], variable);

    internal static StepTransition Switch(string condition, IReadOnlyList<SwitchCase> cases) =>
        new(TransitionKind.Switch, cases.Select(c => c.Step).Distinct().ToArray(), SwitchCondition: condition, SwitchCases: cases);

    /// <summary>True when both transitions name the same kind, targets, foreach variable and switch cases.</summary>
    public bool SameShapeAs(StepTransition other) =>
        Kind == other.Kind
        && Targets.SequenceEqual(other.Targets)
        && ForeachVariable == other.ForeachVariable
        && SwitchCondition == other.SwitchCondition
        && (SwitchCases ?? []).SequenceEqual(other.SwitchCases ?? []);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TransitionKind.Linear => $"Next({Targets[0]})",
        TransitionKind.Branch => $"Next({string.Join(", ", Targets)})",
        TransitionKind.Foreach => $"Next({Targets[0]}, forEach: \"{ForeachVariable}\")",
        _ => $"Switch(\"{SwitchCondition}\", {{ {string.Join(", ", (SwitchCases ?? []).Select(c => $"[\"{c.Value}\"] = {c.Step}"))} }})",
    };
}
