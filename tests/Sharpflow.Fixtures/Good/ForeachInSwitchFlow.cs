namespace Sharpflow.Fixtures.Good;

/// <summary>A switch case opens a foreach.</summary>
[GoodFixture("10+20+30", "Start=1 Many=1 Body=3 Join=1 End=1")]
public class ForeachInSwitchFlow : FlowSpec
{
    public string Size = "";
    public List<int> Items = [];
    public int Value;
    public string Result = "";

    [Step] public void Start() { Size = "many"; Switch(nameof(Size), new() { ["many"] = Many, ["one"] = One }); }
    [Step] public void Many() { Items = [1, 2, 3]; Next(Body, forEach: nameof(Items)); }
    [Step] public void Body() { Value = Input<int>() * 10; Next(Join); }
    [Step] public void Join(Inputs<ForeachInSwitchFlow> inputs) { Result = string.Join("+", inputs.Select(i => i.Value)); Next(End); }
    [Step] public void One() { Result = "one"; Next(End); }
    [Step] public void End() { }
}
