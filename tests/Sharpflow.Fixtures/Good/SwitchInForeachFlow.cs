namespace Sharpflow.Fixtures.Good;

/// <summary>Each foreach task routes through a switch; the join still receives one input per item.</summary>
[GoodFixture("odd1,even2,odd3,even4", "Start=1 Route=4 Even=2 Odd=2 Join=1 End=1")]
public class SwitchInForeachFlow : FlowSpec
{
    public List<int> Numbers = [];
    public string Parity = "";
    public string Result = "";

    [Step] public void Start() { Numbers = [1, 2, 3, 4]; Next(Route, forEach: nameof(Numbers)); }
    [Step] public void Route() { Parity = Input<int>() % 2 == 0 ? "even" : "odd"; Switch(nameof(Parity), new() { ["even"] = Even, ["odd"] = Odd }); }
    [Step] public void Even() { Result = "even" + Input<int>(); Next(Join); }
    [Step] public void Odd() { Result = "odd" + Input<int>(); Next(Join); }
    [Step] public void Join(Inputs<SwitchInForeachFlow> inputs) { Result = string.Join(",", inputs.Select(i => i.Result)); Next(End); }
    [Step] public void End() { }
}
