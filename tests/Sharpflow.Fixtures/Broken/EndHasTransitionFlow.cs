namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0003", "End")]
public class EndHasTransitionFlow : FlowSpec
{
    [Step] public void Start() => Next(End);
    [Step] public void End() => Next(Start);
}
