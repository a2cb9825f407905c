namespace Sharpflow;

/// <summary>
/// Makes a card for each task of the step: a self-contained HTML report rendered when the task ends (also when it
/// fails) and stored in the datastore. <see cref="Type"/> <c>default</c> shows the task, its parameters, configs,
/// artifacts, the flow's DAG and its output, then what the step appended through <c>Current.Card</c>; <c>blank</c>
/// shows only what the step appended. Several cards per step are told apart by <see cref="Id"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class CardAttribute : Attribute
{
    /// <summary><c>default</c> or <c>blank</c>.</summary>
    public string Type { get; set; } = "default";

    /// <summary>The card's id (default: its type); <c>Current.Card["id"]</c> appends to it.</summary>
    public string? Id { get; set; }

    /// <summary>The id the card is stored under.</summary>
    public string Key => Id ?? Type;
}
