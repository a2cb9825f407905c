namespace Sharpflow.TestFlows;

/// <summary>A foreach of <see cref="Width"/> trivial tasks over an int list, and a join that sums one int per input.</summary>
public class WideFlow : FlowSpec
{
    [Parameter(Help = "How many body tasks")] public int Width { get; set; } = 100;
    public List<int> Items = [];
    public int Value;
    public long Sum;

    [Step] public void Start() { Items = Enumerable.Range(0, Width).ToList(); Next(Body, forEach: nameof(Items)); }
    [Step] public void Body() { Value = Input<int>(); Next(Join); }
    [Step] public void Join(Inputs<WideFlow> inputs) { Sum = inputs.Sum(i => (long)i.Value); Next(End); }
    [Step] public void End() { }
}
