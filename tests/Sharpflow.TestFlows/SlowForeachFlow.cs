namespace Sharpflow.TestFlows;

/// <summary>A foreach of slow tasks, so a test can kill the process in the middle of it.</summary>
public class SlowForeachFlow : FlowSpec
{
    [Parameter] public int DelayMs { get; set; } = 300;

    public List<int> Items = [];
    public float[] Weights = [];
    public int Square;
    public long Total;

    [Step]
    public void Start()
    {
        Items = Enumerable.Range(1, 12).ToList();
        Weights = Enumerable.Range(0, 100_000).Select(i => i * 0.5f).ToArray();
        Next(Body, forEach: nameof(Items));
    }

    [Step]
    public async Task Body()
    {
        await Task.Delay(DelayMs, Current.CancellationToken);
        Square = Input<int>() * Input<int>();
        Next(Join);
    }

    [Step] public void Join(Inputs<SlowForeachFlow> inputs) { Total = inputs.Sum(i => (long)i.Square); Next(End); }
    [Step] public void End() { }
}
