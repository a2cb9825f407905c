using Sharpflow.Execution;
using Sharpflow.Graph;

namespace Sharpflow;

/// <summary>
/// Base class of every flow. Steps are public methods marked <see cref="StepAttribute"/>; artifacts are the public
/// instance fields and settable properties declared on the flow (minus parameters and <see cref="TransientAttribute"/>
/// members), snapshotted after every step.
/// </summary>
public abstract class FlowSpec
{
    internal StepExecution? Execution { get; set; }

    /// <summary>Facts about the running task (run id, step, task id, retry count, foreach position, ...).</summary>
    public Current Current => RequireExecution(nameof(Current)).Current;

    /// <summary>
    /// Ends the step by naming the next step (<c>Next(Train)</c>) or, with two or more steps, a static branch
    /// (<c>Next(TrainA, TrainB)</c>) whose branches run in parallel and meet again in a join step.
    /// </summary>
    protected void Next(params Delegate[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var names = steps.Select(StepNameOf).ToArray();
        Record(names.Length == 1 ? StepTransition.Linear(names[0]) : StepTransition.Branch(names));
    }

    /// <summary>Ends the step with a foreach: one task of <paramref name="step"/> per item of the list artifact named <paramref name="forEach"/>.</summary>
    protected void Next(Delegate step, string forEach) => Record(StepTransition.Foreach(StepNameOf(step), forEach));

    /// <summary>
    /// Ends the step with a switch: the value of the artifact named <paramref name="condition"/> (as a string; enums
    /// by name, booleans as <c>true</c>/<c>false</c>) picks the next step from <paramref name="cases"/>. A case may
    /// point back to an earlier step or to this step itself (a loop).
    /// </summary>
    protected void Switch(string condition, Dictionary<string, Delegate> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        Record(StepTransition.Switch(condition, cases.Select(c => new SwitchCase(c.Key, StepNameOf(c.Value))).ToArray()));
    }

    /// <summary>The item of the enclosing foreach that this task works on (a private copy).</summary>
    protected T Input<T>() => RequireExecution(nameof(Input)).GetForeachInput<T>();

    /// <summary>
    /// In a join step, copies every artifact whose value is the same in all inputs that have it onto this step (one that
    /// only one branch stored, e.g. set there after an earlier join, comes from that branch), as Metaflow's
    /// merge_artifacts does. What the join set before the call stays as it set it (an object assigned, or changed in place;
    /// a value equal to the one the join started with cannot be told from no assignment, and merges). Artifacts whose values differ must be
    /// set in the join before the call or listed in <paramref name="exclude"/>, else nothing is merged and the step fails;
    /// with <paramref name="include"/> only the named artifacts are merged, and each must be in at least one input (or set
    /// by the join).
    /// </summary>
    protected void MergeArtifacts<TFlow>(Inputs<TFlow> inputs, IEnumerable<string>? exclude = null, IEnumerable<string>? include = null)
        where TFlow : FlowSpec
    {
        ArgumentNullException.ThrowIfNull(inputs);
        RequireExecution(nameof(MergeArtifacts)).MergeArtifacts(this, inputs.Sources, exclude, include);
    }

    private void Record(StepTransition transition) => RequireExecution(nameof(Next)).RecordTransition(transition);

    private static string StepNameOf(Delegate step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Method.Name;
    }

    private StepExecution RequireExecution(string member) =>
        Execution ?? throw new InvalidOperationException(
            $"{member} is only available while a step of flow '{GetType().Name}' runs under Sharpflow (use the CLI, a Runner or spin).");
}
