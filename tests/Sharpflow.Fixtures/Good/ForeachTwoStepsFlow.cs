namespace Sharpflow.Fixtures.Good;

[GoodFixture("A1!,B1!", "Start=1 First=2 Second=2 Join=1 End=1")]
public class ForeachTwoStepsFlow : FlowSpec
{
    public string[] Letters = [];
    public string Word = "";
    public string Result = "";

    [Step] public void Start() { Letters = ["a", "b"]; Next(First, forEach: nameof(Letters)); }
    [Step] public void First() { Word = Input<string>().ToUpperInvariant() + (Current.ForeachIndex == null ? "?" : "1"); Next(Second); }
    [Step] public async Task Second() { await Task.Delay(1); Word += "!"; Next(Join); }
    [Step] public void Join(Inputs<ForeachTwoStepsFlow> inputs) { Result = string.Join(",", inputs.Select(i => i.Word)); Next(End); }
    [Step] public void End() { }
}
