using System.Reflection;

namespace Sharpflow.Graph;

/// <summary>One step of a flow graph.</summary>
public sealed class StepNode
{
    internal StepNode(string name, MethodInfo method, bool isJoin)
    {
        Name = name;
        Method = method;
        IsJoin = isJoin;
    }

    /// <summary>The step's name: its method name.</summary>
    public string Name { get; }

    /// <summary>The step method.</summary>
    public MethodInfo Method { get; }

    /// <summary>True when the step takes <see cref="Inputs{TFlow}"/>.</summary>
    public bool IsJoin { get; }

    /// <summary>True when the step returns a <see cref="System.Threading.Tasks.Task"/>.</summary>
    public bool IsAsync => typeof(Task).IsAssignableFrom(Method.ReturnType);

    /// <summary>The transition found in the step's body; null when the step calls neither Next nor Switch.</summary>
    public StepTransition? Transition { get; internal set; }

    /// <summary>How many transition calls the body contains (a valid step other than the end has exactly one).</summary>
    public int TransitionCallCount { get; internal set; }

    /// <summary>The steps this step can go to.</summary>
    public IReadOnlyList<string> OutSteps => Transition?.Targets ?? [];

    /// <summary>The steps that can lead to this step.</summary>
    public IReadOnlyList<string> InSteps { get; internal set; } = [];

    /// <summary>The step's role in the graph.</summary>
    public StepKind Kind { get; internal set; }
}
