namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0012", "Start")]
public class ForeachNotListFlow : FlowSpec
{
    public int Count;

    [Step] public void Start() => Next(Body, forEach: nameof(Count));
    [Step] public void Body() => Next(Join);
    [Step] public void Join(Inputs<ForeachNotListFlow> inputs) => Next(End);
    [Step] public void End() { }
}
