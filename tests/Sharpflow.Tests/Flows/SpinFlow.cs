namespace Sharpflow.Tests.Flows;

public class SpinFlow : FlowSpec
{
    public List<int> Items = [];
    public int Factor;
    public int Value;
    public int Total;

    [Step] public void Start() { Items = [1, 2, 3]; Factor = 2; Next(Body, forEach: nameof(Items)); }

    [Step]
    public void Body()
    {
        if (Input<int>() == 3)
        {
            Faults.ThrowIf("spin");
        }
        Value = Input<int>() * Factor;
        Console.WriteLine($"body {Input<int>()} x {Factor}");
        Next(Join);
    }

    [Step] public void Join(Inputs<SpinFlow> inputs) { Total = inputs.Sum(i => i.Value); Next(End); }
    [Step] public void End() { }
}
