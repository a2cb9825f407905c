namespace Sharpflow.Execution;

/// <summary>
/// Which step to spin and with what inputs: those its parent tasks had in a past run (optionally overridden), or
/// values given directly (for unit tests of a single step).
/// </summary>
public sealed record SpinOptions
{
    /// <summary>The step to run.</summary>
    public required string Step { get; init; }

    /// <summary>The past run to read inputs from; null for the latest run in your namespace (unless <see cref="Inputs"/> is given).</summary>
    public string? RunId { get; init; }

    /// <summary>Which task of the step in that run to re-create (its id); null for the first failed task, else the first task.</summary>
    public string? TaskId { get; init; }

    /// <summary>Artifact values that replace what the step would inherit (JSON elements are converted to the artifact's type).</summary>
    public IReadOnlyDictionary<string, object?>? Overrides { get; init; }

    /// <summary>Spin without a past run: the artifact values the step starts from.</summary>
    public IReadOnlyDictionary<string, object?>? Inputs { get; init; }

    /// <summary>Spin without a past run: the foreach item <c>Input&lt;T&gt;()</c> returns.</summary>
    public object? ForeachInput { get; init; }

    /// <summary>
    /// Parameter values, by property or command-line name: without a past run, the values to use (defaults otherwise); with
    /// one, the values that replace the run's (the others stay as the run had them).
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Parameters { get; init; }

    /// <summary>True (default) to record the spun task as a new run (tagged <c>runtime:spin</c>); false to keep it in memory only.</summary>
    public bool Persist { get; init; } = true;
}
