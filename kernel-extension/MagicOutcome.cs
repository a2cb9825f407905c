namespace Sharpflow.Interactive;

/// <summary>
/// What a magic or a flow/step cell produced: the values to display, in order (a run's summary, then its cards), and,
/// when the cell failed (a failed run, a refused magic, a cell that does not compile), why. A failed cell still shows
/// its outputs; the notebook then stops a "Run All" there, as it does for an exception in a C# cell.
/// </summary>
public sealed record MagicOutcome(IReadOnlyList<object> Outputs, string? Failure = null)
{
    /// <summary>Whether the cell failed.</summary>
    public bool Failed => Failure is not null;

    /// <summary>The first value shown (the run, the graph, the cell's result).</summary>
    public object? Value => Outputs.Count > 0 ? Outputs[0] : null;

    /// <summary>A successful outcome that shows <paramref name="value"/>.</summary>
    public static MagicOutcome Showing(object value) => new([value]);
}
