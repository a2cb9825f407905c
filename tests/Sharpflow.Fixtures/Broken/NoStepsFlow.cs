namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0019", null)]
public class NoStepsFlow : FlowSpec
{
    public void Start() { }
}
