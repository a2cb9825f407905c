namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0016", "Start")]
public class NonConstantTransitionFlow : FlowSpec
{
    public List<int> Items = [];

    [Step] public void Start() { Items = [1]; Next(Body, forEach: PickList()); }
    [Step] public void Body() => Next(Join);
    [Step] public void Join(Inputs<NonConstantTransitionFlow> inputs) => Next(End);
    [Step] public void End() { }

    private string PickList() => Items.Count > 100 ? "Other" : nameof(Items);
}
