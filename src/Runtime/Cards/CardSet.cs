namespace Sharpflow.Cards;

/// <summary>
/// The cards of the running task (<c>Current.Card</c>): <see cref="Append"/> adds to the step's first card,
/// <c>this[id]</c> picks one, <see cref="Refresh"/> re-renders them while the step runs (at most once a second) so a
/// viewer sees progress before the step ends.
/// </summary>
public sealed class CardSet
{
    private static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromSeconds(1);
    private readonly Action? _refresh;
    private readonly Lock _lock = new();
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;
    private bool _warned;

    internal CardSet(IReadOnlyList<TaskCard> cards, Action? refresh)
    {
        Cards = cards;
        _refresh = refresh;
    }

    /// <summary>The step's cards, in declaration order.</summary>
    public IReadOnlyList<TaskCard> Cards { get; }

    /// <summary>The card with this id.</summary>
    public TaskCard this[string id] => Cards.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException(
        $"This step has no card '{id}'. {(Cards.Count == 0 ? "Add [Card] to the step." : $"Its cards are: {string.Join(", ", Cards.Select(c => c.Id))}.")}");

    /// <summary>Adds a component to the step's first card (ignored, with one warning, when the step has no [Card]).</summary>
    public CardSet Append(ICardComponent component)
    {
        if (Cards.Count > 0)
        {
            Cards[0].Append(component);
        }
        else if (!_warned)
        {
            _warned = true;
            Console.Error.WriteLine("Current.Card.Append: this step has no [Card], so the component is not shown anywhere. Add [Card] to the step.");
        }
        return this;
    }

    /// <summary>Re-renders the cards now, unless they were rendered less than a second ago; returns whether it rendered.</summary>
    public bool Refresh()
    {
        lock (_lock)
        {
            if (_refresh is null || Cards.Count == 0 || DateTimeOffset.UtcNow - _lastRefresh < MinimumRefreshInterval)
            {
                return false;
            }
            _lastRefresh = DateTimeOffset.UtcNow;
        }
        _refresh();
        return true;
    }
}
