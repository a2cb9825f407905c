namespace Sharpflow;

/// <summary>A step as mutators see it: its name and its decorators, which they may add to or remove from.</summary>
public sealed class MutableStep
{
    private readonly List<Attribute> _decorators;

    internal MutableStep(string name, IEnumerable<Attribute> decorators)
    {
        Name = name;
        _decorators = decorators.ToList();
    }

    /// <summary>The step's name.</summary>
    public string Name { get; }

    /// <summary>The flow the step belongs to (for its configs).</summary>
    public MutableFlow Flow { get; internal set; } = null!;

    /// <summary>The step's decorators: [Retry], [Timeout], [Catch], [Resources], [Environment], [Card] and user decorators, in order.</summary>
    public IReadOnlyList<Attribute> Decorators => _decorators;

    /// <summary>True when the step has a decorator of type <typeparamref name="T"/>.</summary>
    public bool Has<T>() where T : Attribute => _decorators.OfType<T>().Any();

    /// <summary>Adds a decorator; a built-in one ([Retry], [Timeout], [Catch], [Resources], [Environment]) replaces the step's existing one of that type.</summary>
    public MutableStep Add(Attribute decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        if (decorator is RetryAttribute or TimeoutAttribute or CatchAttribute or ResourcesAttribute or EnvironmentAttribute)
        {
            _decorators.RemoveAll(d => d.GetType() == decorator.GetType());
        }
        _decorators.Add(decorator);
        return this;
    }

    /// <summary>Adds a decorator only when the step has none of its type (keeps what the step declares).</summary>
    public MutableStep AddIfMissing(Attribute decorator) => _decorators.Any(d => d.GetType() == decorator.GetType()) ? this : Add(decorator);

    /// <summary>Removes every decorator of type <typeparamref name="T"/>.</summary>
    public MutableStep Remove<T>() where T : Attribute
    {
        _decorators.RemoveAll(d => d is T);
        return this;
    }
}
