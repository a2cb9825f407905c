namespace Sharpflow.Tests.Flows;

/// <summary>A foreach as wide as its parameter; one item can be made to fail.</summary>
public class WideFlow : FlowSpec
{
    [Parameter] public int Width { get; set; } = 150;

    [Parameter(Help = "The item whose task throws (-1: none)")] public int FailAt { get; set; } = -1;

    public List<int> Items = [];
    public int Value;
    public long Sum;

    [Step] public void Start() { Items = [.. Enumerable.Range(0, Width)]; Next(Body, forEach: nameof(Items)); }

    [Step]
    public void Body()
    {
        Value = Input<int>() * 2;
        if (Input<int>() == FailAt)
        {
            throw new InvalidOperationException($"item {FailAt} fails");
        }
        Next(Join);
    }

    [Step] public void Join(Inputs<WideFlow> inputs) { Sum = inputs.Sum(i => (long)i.Value); Next(End); }

    [Step] public void End() { }
}
