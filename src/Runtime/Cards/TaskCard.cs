namespace Sharpflow.Cards;

/// <summary>One card of the running task: the components the step appended to it.</summary>
public sealed class TaskCard
{
    private readonly List<ICardComponent> _components = [];
    private readonly Lock _lock = new();

    internal TaskCard(string id, string type)
    {
        Id = id;
        Type = type;
    }

    /// <summary>The card's id.</summary>
    public string Id { get; }

    /// <summary><c>default</c> or <c>blank</c>.</summary>
    public string Type { get; }

    /// <summary>Adds a component at the end of the card.</summary>
    public TaskCard Append(ICardComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        lock (_lock)
        {
            _components.Add(component);
        }
        return this;
    }

    /// <summary>Removes every component the step added.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _components.Clear();
        }
    }

    /// <summary>A snapshot of the components.</summary>
    public IReadOnlyList<ICardComponent> Components
    {
        get
        {
            lock (_lock)
            {
                return _components.ToArray();
            }
        }
    }
}
