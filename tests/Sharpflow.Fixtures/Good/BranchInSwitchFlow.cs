namespace Sharpflow.Fixtures.Good;

/// <summary>A switch case opens (and closes) a static branch.</summary>
[GoodFixture("x1&x2", "Start=1 Wide=1 X1=1 X2=1 WideJoin=1 End=1")]
public class BranchInSwitchFlow : FlowSpec
{
    public bool GoWide;
    public string Result = "";

    [Step] public void Start() { GoWide = true; Switch(nameof(GoWide), new() { ["true"] = Wide, ["false"] = Narrow }); }
    [Step] public void Wide() => Next(X1, X2);
    [Step] public void X1() { Result = "x1"; Next(WideJoin); }
    [Step] public void X2() { Result = "x2"; Next(WideJoin); }
    [Step] public void WideJoin(Inputs<BranchInSwitchFlow> inputs) { Result = string.Join("&", inputs.Select(i => i.Result)); Next(End); }
    [Step] public void Narrow() { Result = "narrow"; Next(End); }
    [Step] public void End() { }
}
