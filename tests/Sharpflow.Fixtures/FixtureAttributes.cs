namespace Sharpflow.Fixtures;

/// <summary>A well-formed fixture flow: after a run, its End task's <c>Result</c> artifact must equal <see cref="Result"/>.</summary>
/// <param name="result">The expected value of the <c>Result</c> artifact of the last step.</param>
/// <param name="tasks">Expected task counts per step, e.g. <c>"Start=1 Body=3 Join=1 End=1"</c>.</param>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GoodFixtureAttribute(string result, string tasks) : Attribute
{
    public string Result { get; } = result;

    public IReadOnlyDictionary<string, int> Tasks { get; } = tasks.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('='))
        .ToDictionary(pair => pair[0], pair => int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A broken fixture flow: validation must report rule <see cref="RuleId"/> at step <see cref="Step"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BrokenFixtureAttribute(string ruleId, string? step) : Attribute
{
    public string RuleId { get; } = ruleId;

    public string? Step { get; } = step;
}

/// <summary>
/// A flow the runtime accepts but the editor warns about: the language server must report exactly rule
/// <see cref="RuleId"/> (an SF01xx editor rule), on the line marked <c>// expect: RULE</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class EditorFixtureAttribute(string ruleId, string? step) : Attribute
{
    public string RuleId { get; } = ruleId;

    public string? Step { get; } = step;
}
