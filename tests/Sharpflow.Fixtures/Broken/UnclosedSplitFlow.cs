namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0011", "End")]
public class UnclosedSplitFlow : FlowSpec
{
    public List<int> Items = [];

    [Step] public void Start() { Items = [1, 2]; Next(Body, forEach: nameof(Items)); }
    [Step] public void Body() => Next(End);
    [Step] public void End() { }
}
