namespace Sharpflow.Graph;

/// <summary>Every rule a flow graph is checked against, in one table. {0} is the flow, {1} the step.</summary>
public static class GraphRules
{
    /// <summary>The flow has no Start step.</summary>
    public static readonly GraphRule MissingStart = new("SF0001", "missing-start", RuleSeverity.Error,
        "Flow '{0}' has no step named 'Start'. Add `[Step] public void Start() {{ ... Next(...); }}` as the first step.");

    /// <summary>The flow has no End step.</summary>
    public static readonly GraphRule MissingEnd = new("SF0002", "missing-end", RuleSeverity.Error,
        "Flow '{0}' has no step named 'End'. Add `[Step] public void End() {{ }}` as the last step.");

    /// <summary>The End step calls Next.</summary>
    public static readonly GraphRule EndHasTransition = new("SF0003", "end-has-transition", RuleSeverity.Error,
        "Flow '{0}', step '{1}': the end step must not call Next or Switch. Remove the call.");

    /// <summary>A step other than End has no transition.</summary>
    public static readonly GraphRule MissingTransition = new("SF0004", "missing-transition", RuleSeverity.Error,
        "Flow '{0}', step '{1}': every step except End must end with exactly one Next(...) or Switch(...). Add one naming the step that follows.");

    /// <summary>A step body contains more than one transition call.</summary>
    public static readonly GraphRule MultipleTransitions = new("SF0005", "multiple-transitions", RuleSeverity.Error,
        "Flow '{0}', step '{1}': found {2} calls to Next/Switch; a step must make exactly one. Use Switch(...) to choose the next step from an artifact's value.");

    /// <summary>A transition targets a method that is not a step.</summary>
    public static readonly GraphRule UnknownTarget = new("SF0006", "unknown-target", RuleSeverity.Error,
        "Flow '{0}', step '{1}': Next/Switch names '{2}', which is not a step of this flow. Mark '{2}' with [Step] or name one of: {3}.");

    /// <summary>A step cannot be reached from Start.</summary>
    public static readonly GraphRule UnreachableStep = new("SF0007", "unreachable-step", RuleSeverity.Error,
        "Flow '{0}', step '{1}': the step cannot be reached from Start. Name it in some step's Next(...) or remove it.");

    /// <summary>A step takes Inputs but closes no open branch or foreach.</summary>
    public static readonly GraphRule JoinWithoutSplit = new("SF0008", "join-without-split", RuleSeverity.Error,
        "Flow '{0}', step '{1}': the step takes Inputs<...> (a join), but no branch or foreach is open when it is reached. Remove the Inputs parameter.");

    /// <summary>Branches of a split meet at a step that is not a join.</summary>
    public static readonly GraphRule MissingJoin = new("SF0009", "missing-join", RuleSeverity.Error,
        "Flow '{0}', step '{1}': {2}. Make '{1}' a join (`public void {1}(Inputs<{0}> inputs)`) or route the branches through one.");

    /// <summary>A join's parents do not all belong to the split it closes.</summary>
    public static readonly GraphRule JoinParentMismatch = new("SF0010", "join-parent-mismatch", RuleSeverity.Error,
        "Flow '{0}', step '{1}': {2}. A join must receive every branch of exactly one split (the innermost open one).");

    /// <summary>End is reached while a branch or foreach is still open.</summary>
    public static readonly GraphRule UnclosedSplit = new("SF0011", "unclosed-split", RuleSeverity.Error,
        "Flow '{0}', step '{1}': reached while the {2} started at step '{3}' is still open. Close it with a join step (one that takes Inputs<{0}>) before '{1}'.");

    /// <summary>A foreach names an artifact that is not a list.</summary>
    public static readonly GraphRule ForeachNotList = new("SF0012", "foreach-not-list", RuleSeverity.Error,
        "Flow '{0}', step '{1}': forEach names '{2}', which is {3}. A foreach iterates over a public list artifact of the flow (e.g. `public List<string> {2} = [];`); pass its name with nameof(...).");

    /// <summary>A cycle that does not pass through a switch.</summary>
    public static readonly GraphRule CycleWithoutSwitch = new("SF0013", "cycle-without-switch", RuleSeverity.Error,
        "Flow '{0}', step '{1}': the steps {2} form a loop with no way out. Loops are allowed only through a Switch(...) with a case that leaves the loop.");

    /// <summary>A switch's condition is not an artifact.</summary>
    public static readonly GraphRule SwitchUnknownCondition = new("SF0014", "switch-unknown-condition", RuleSeverity.Error,
        "Flow '{0}', step '{1}': Switch condition '{2}' is not an artifact of the flow. Pass the name of a public field or property with nameof(...).");

    /// <summary>A step method has the wrong signature.</summary>
    public static readonly GraphRule InvalidStepSignature = new("SF0015", "invalid-step-signature", RuleSeverity.Error,
        "Flow '{0}', step '{1}': {2}. A step is a public instance method returning void or Task, with no parameters, or one Inputs<{0}> parameter for a join.");

    /// <summary>A transition whose arguments are not constant.</summary>
    public static readonly GraphRule NonConstantTransition = new("SF0016", "non-constant-transition", RuleSeverity.Error,
        "Flow '{0}', step '{1}': {2}. Name steps as method groups (Next(Train)) and artifacts with nameof(...) so the graph is known before the flow runs.");

    /// <summary>A foreach is directly followed by its join.</summary>
    public static readonly GraphRule EmptyForeach = new("SF0017", "empty-foreach", RuleSeverity.Error,
        "Flow '{0}', step '{1}': the foreach goes straight to the join '{2}'. Put at least one step between a foreach and its join.");

    /// <summary>Two step methods share a name.</summary>
    public static readonly GraphRule DuplicateStep = new("SF0018", "duplicate-step", RuleSeverity.Error,
        "Flow '{0}', step '{1}': more than one method named '{1}' is marked [Step]. Give each step a unique name.");

    /// <summary>The flow declares no steps at all.</summary>
    public static readonly GraphRule NoSteps = new("SF0019", "no-steps", RuleSeverity.Error,
        "Flow '{0}' has no steps. Mark public methods with [Step], starting with `Start` and ending with `End`.");

    /// <summary>A switch has a case value listed twice or no cases.</summary>
    public static readonly GraphRule InvalidSwitchCases = new("SF0020", "invalid-switch-cases", RuleSeverity.Error,
        "Flow '{0}', step '{1}': {2}. Give Switch(...) at least one case, each value once.");

    /// <summary>An exit hook with the wrong signature.</summary>
    public static readonly GraphRule InvalidExitHook = new("SF0021", "invalid-exit-hook", RuleSeverity.Error,
        "Flow '{0}': exit hook '{2}' cannot be called: {3}. An exit hook is `public static void {2}(Sharpflow.Client.Run run)` (or returns Task), marked [OnSuccess] and/or [OnFailure].");

    /// <summary>Every rule, for documentation and tools.</summary>
    public static IReadOnlyList<GraphRule> All { get; } =
    [
        MissingStart, MissingEnd, EndHasTransition, MissingTransition, MultipleTransitions, UnknownTarget, UnreachableStep,
        JoinWithoutSplit, MissingJoin, JoinParentMismatch, UnclosedSplit, ForeachNotList, CycleWithoutSwitch,
        SwitchUnknownCondition, InvalidStepSignature, NonConstantTransition, EmptyForeach, DuplicateStep, NoSteps,
        InvalidSwitchCases, InvalidExitHook,
    ];
}
