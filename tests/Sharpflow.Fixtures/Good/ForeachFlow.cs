namespace Sharpflow.Fixtures.Good;

[GoodFixture("2,4,6", "Start=1 Body=3 Join=1 End=1")]
public class ForeachFlow : FlowSpec
{
    public List<int> Items = [];
    public int Doubled;
    public string Result = "";

    [Step] public void Start() { Items = [1, 2, 3]; Next(Body, forEach: nameof(Items)); }
    [Step] public void Body() { Doubled = Input<int>() * 2; Next(Join); }
    [Step] public void Join(Inputs<ForeachFlow> inputs) { Result = string.Join(",", inputs.Select(i => i.Doubled)); Next(End); }
    [Step] public void End() { }
}
