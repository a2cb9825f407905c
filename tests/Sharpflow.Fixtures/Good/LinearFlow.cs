namespace Sharpflow.Fixtures.Good;

[GoodFixture("start>a>b>end", "Start=1 A=1 B=1 End=1")]
public class LinearFlow : FlowSpec
{
    public string Result = "";

    [Step] public void Start() { Result = "start"; Next(A); }
    [Step] public void A() { Result += ">a"; Next(B); }
    [Step] public async Task B() { await Task.Yield(); Result += ">b"; Next(End); }
    [Step] public void End() => Result += ">end";
}
