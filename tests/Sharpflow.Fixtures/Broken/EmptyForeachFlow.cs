namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0017", "Start")]
public class EmptyForeachFlow : FlowSpec
{
    public List<int> Items = [];

    [Step] public void Start() { Items = [1]; Next(Join, forEach: nameof(Items)); }
    [Step] public void Join(Inputs<EmptyForeachFlow> inputs) => Next(End);
    [Step] public void End() { }
}
