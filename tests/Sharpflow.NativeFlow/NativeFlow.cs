using System.Text.Json.Serialization;

namespace Sharpflow.NativeFlows;

/// <summary>A result of the program's own type: a native program stores it through its compile-time JSON contract.</summary>
public sealed record Summary(int Total, int Count);

/// <summary>The compile-time JSON contracts of the program's own artifact types.</summary>
[JsonSerializable(typeof(Summary))]
public sealed partial class NativeFlowJson : JsonSerializerContext;

/// <summary>
/// What a flow may inherit: a parameter, an artifact and a step (with its doc comment) declared on an abstract base
/// class, which the publish does not record as a flow of its own.
/// </summary>
public abstract class NativeFlowBase : FlowSpec
{
    [Parameter(Help = "What the end step prints before the verdict")] public string Label { get; set; } = "verdict";

    public string Verdict = "";

    /// <summary>Prints the verdict under its label.</summary>
    [Step]
    public void End() => Console.WriteLine($"{Label}: {Verdict}");
}

/// <summary>
/// Every kind of step a native program must get from its flow manifest: parameters (one inherited), a foreach and its
/// join, a branch and its join (merging artifacts), a switch and an inherited step. The environment variable
/// NATIVE_FLOW_FAIL_AT names a step that throws, for resume (a parameter would be resumed with the run).
/// </summary>
public class NativeFlow : NativeFlowBase
{
    [Parameter(Help = "How many items the foreach fans out to")] public int Count { get; set; } = 3;

    public List<int> Items = [];
    public int Square;
    public Summary? Result;
    public string Left = "";
    public string Right = "";
    public string Route = "";

    /// <summary>Fans out over <see cref="Count"/> items, one task each.</summary>
    [Step]
    public void Start()
    {
        Items = [.. Enumerable.Range(1, Count)];
        Next(Squares, forEach: nameof(Items));
    }

    [Step]
    public void Squares()
    {
        Square = Input<int>() * Input<int>();
        Next(Gather);
    }

    [Step]
    public void Gather(Inputs<NativeFlow> inputs)
    {
        Result = new Summary(inputs.Sum(i => i.Square), inputs.Count);
        Next(LeftSide, RightSide);
    }

    [Step]
    public void LeftSide()
    {
        ThrowIfAsked(nameof(LeftSide));
        Left = $"left of {Result!.Total}";
        Next(Meet);
    }

    [Step]
    public void RightSide()
    {
        Right = $"right of {Result!.Total}";
        Next(Meet);
    }

    /// <summary>Joins the two sides and picks the route by the total.</summary>
    [Step]
    public void Meet(Inputs<NativeFlow> inputs)
    {
        MergeArtifacts(inputs); // Left and Right each come from the one branch that set them
        Route = Result!.Total > 10 ? "big" : "small";
        Switch(nameof(Route), new() { ["big"] = Big, ["small"] = Small });
    }

    [Step]
    public void Big()
    {
        Verdict = $"big: {Left}, {Right}";
        Next(End);
    }

    [Step]
    public void Small()
    {
        Verdict = $"small: {Left}, {Right}";
        Next(End);
    }

    private void ThrowIfAsked(string step)
    {
        if (Environment.GetEnvironmentVariable("NATIVE_FLOW_FAIL_AT") == step)
        {
            throw new InvalidOperationException($"{step} failed on purpose");
        }
    }
}
