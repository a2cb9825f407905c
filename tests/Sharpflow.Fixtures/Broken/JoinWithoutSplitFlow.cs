namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0008", "Join")]
public class JoinWithoutSplitFlow : FlowSpec
{
    [Step] public void Start() => Next(Join);
    [Step] public void Join(Inputs<JoinWithoutSplitFlow> inputs) => Next(End);
    [Step] public void End() { }
}
