using Sharpflow.Config;

namespace Sharpflow;

/// <summary>A flow as mutators see it when a run starts: its resolved configs, its steps' decorators and its parameters.</summary>
public sealed class MutableFlow
{
    private readonly IReadOnlyDictionary<string, object?> _configs;
    private readonly IReadOnlyDictionary<string, ConfigValue> _trees;
    private readonly HashSet<string> _removedParameters = new(StringComparer.Ordinal);
    private readonly List<FlowParameter> _addedParameters = [];

    internal MutableFlow(Type flowType, IReadOnlyDictionary<string, object?> configs, IReadOnlyDictionary<string, ConfigValue> trees, IReadOnlyList<MutableStep> steps)
    {
        FlowType = flowType;
        _configs = configs;
        _trees = trees;
        Steps = steps;
        foreach (var step in steps)
        {
            step.Flow = this;
        }
    }

    /// <summary>The flow's type.</summary>
    public Type FlowType { get; }

    /// <summary>The flow's steps.</summary>
    public IReadOnlyList<MutableStep> Steps { get; }

    /// <summary>The step with this name.</summary>
    public MutableStep Step(string name) => Steps.FirstOrDefault(s => s.Name == name)
        ?? throw new KeyNotFoundException($"Flow '{FlowType.Name}' has no step '{name}'. Its steps are: {string.Join(", ", Steps.Select(s => s.Name))}.");

    /// <summary>The resolved value of config <paramref name="name"/>, bound to its declared type.</summary>
    public T Config<T>(string name) => _configs.TryGetValue(name, out var value)
        ? value is T typed ? typed : throw new InvalidCastException($"Config '{name}' of flow '{FlowType.Name}' is a {value?.GetType().Name ?? "null"}, not a {typeof(T).Name}.")
        : throw new KeyNotFoundException($"Flow '{FlowType.Name}' has no config '{name}'. Its configs are: {string.Join(", ", _configs.Keys)}.");

    /// <summary>Config <paramref name="name"/> as an untyped tree, with the keys as written in its file.</summary>
    public ConfigValue ConfigTree(string name) => _trees.TryGetValue(name, out var tree)
        ? tree
        : throw new KeyNotFoundException($"Flow '{FlowType.Name}' has no config '{name}'. Its configs are: {string.Join(", ", _trees.Keys)}.");

    /// <summary>Removes a parameter from this run: it is not accepted on the command line and keeps its default value.</summary>
    public void RemoveParameter(string name)
    {
        if (FlowParameter.Of(FlowType).All(p => p.Name != name && p.PropertyName != name))
        {
            throw new KeyNotFoundException($"Flow '{FlowType.Name}' has no parameter '{name}'.");
        }
        _removedParameters.Add(name);
    }

    /// <summary>
    /// Adds a parameter for this run (given as <c>--name value</c> or in RunAsync's parameters); steps read it with
    /// <c>Current.Parameter&lt;T&gt;(name)</c>.
    /// </summary>
    public void AddParameter<T>(string name, T defaultValue, string? help = null, bool required = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (FlowParameter.Of(FlowType).Any(p => p.Name == name) || _addedParameters.Any(p => p.Name == name))
        {
            throw new ArgumentException($"Flow '{FlowType.Name}' already has a parameter '{name}'.");
        }
        _addedParameters.Add(new FlowParameter(name, typeof(T), defaultValue, help, required));
    }

    /// <summary>The parameters added by mutators.</summary>
    public IReadOnlyList<FlowParameter> AddedParameters => _addedParameters;

    /// <summary>The parameters removed by mutators (by command-line or property name).</summary>
    public IReadOnlySet<string> RemovedParameters => _removedParameters;
}
