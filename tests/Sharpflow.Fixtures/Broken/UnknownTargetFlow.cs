namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0006", "Start")]
public class UnknownTargetFlow : FlowSpec
{
    [Step] public void Start() => Next(Helper);
    public void Helper() { }
    [Step] public void End() { }
}
