namespace Sharpflow.Tests.Flows;

/// <summary>One foreach task throws; everything else that finished must keep its artifacts.</summary>
public class FailingFlow : FlowSpec
{
    public List<int> Items = [];
    public string Prepared = "";
    public int Value;

    [Step] public void Start() { Prepared = "ready"; Items = [1, 2, 3]; Next(Work, forEach: nameof(Items)); }

    [Step]
    public void Work()
    {
        Value = Input<int>();
        Console.WriteLine($"working on {Value}");
        if (Value == 2)
        {
            throw new InvalidOperationException("item 2 is poisoned");
        }
        Next(Join);
    }

    [Step] public void Join(Inputs<FailingFlow> inputs) => Next(End);
    [Step] public void End() { }
}
