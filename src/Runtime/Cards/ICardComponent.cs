namespace Sharpflow.Cards;

/// <summary>A piece of a card. Components write HTML through a <see cref="CardWriter"/>, which escapes everything they do not mark as trusted.</summary>
public interface ICardComponent
{
    /// <summary>Writes the component's HTML.</summary>
    void Render(CardWriter writer);
}
