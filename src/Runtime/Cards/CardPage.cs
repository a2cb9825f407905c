using Sharpflow.Metadata;

namespace Sharpflow.Cards;

/// <summary>One artifact as a card shows it.</summary>
internal sealed record CardArtifact(string Name, string TypeName, long? Size, object? Value);

/// <summary>Everything a card of one task shows.</summary>
internal sealed record CardPage(
    string CardType,
    TaskRecord Task,
    bool Final,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, ConfigRecord> Configs,
    IReadOnlyList<CardArtifact> Artifacts,
    string DagSvg,
    string Stdout,
    string Stderr,
    IReadOnlyList<ICardComponent> Components)
{
    /// <summary>The run's tags (system and user), shown under the title.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
