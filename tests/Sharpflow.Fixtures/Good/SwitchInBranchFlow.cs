namespace Sharpflow.Fixtures.Good;

/// <summary>One branch of a static split routes through a switch; the join receives one input per branch.</summary>
[GoodFixture("left-high|right", "Start=1 Left=1 High=1 Right=1 Join=1 End=1")]
public class SwitchInBranchFlow : FlowSpec
{
    public double Score;
    public string Result = "";

    [Step] public void Start() { Score = 0.9; Next(Left, Right); }
    [Step] public void Left() { Switch(nameof(Score), new() { ["0.9"] = High, ["0.1"] = Low }); }
    [Step] public void High() { Result = "left-high"; Next(Join); }
    [Step] public void Low() { Result = "left-low"; Next(Join); }
    [Step] public void Right() { Result = "right"; Next(Join); }
    [Step] public void Join(Inputs<SwitchInBranchFlow> inputs) { Result = string.Join("|", inputs.Select(i => i.Result)); Next(End); }
    [Step] public void End() { }
}
