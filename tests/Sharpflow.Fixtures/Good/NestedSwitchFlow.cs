namespace Sharpflow.Fixtures.Good;

/// <summary>A switch whose case is another switch.</summary>
[GoodFixture("outer-a/inner-2", "Start=1 CaseA=1 Inner2=1 End=1")]
public class NestedSwitchFlow : FlowSpec
{
    public string Outer = "";
    public int Inner;
    public string Result = "";

    [Step] public void Start() { Outer = "a"; Switch(nameof(Outer), new() { ["a"] = CaseA, ["b"] = CaseB }); }
    [Step] public void CaseA() { Result = "outer-a"; Inner = 2; Switch(nameof(Inner), new() { ["1"] = Inner1, ["2"] = Inner2 }); }
    [Step] public void CaseB() { Result = "outer-b"; Next(End); }
    [Step] public void Inner1() { Result += "/inner-1"; Next(End); }
    [Step] public void Inner2() { Result += "/inner-2"; Next(End); }
    [Step] public void End() { }
}
