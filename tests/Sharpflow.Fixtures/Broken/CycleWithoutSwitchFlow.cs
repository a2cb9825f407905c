namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0013", "A")]
public class CycleWithoutSwitchFlow : FlowSpec
{
    [Step] public void Start() => Next(A);
    [Step] public void A() => Next(B);
    [Step] public void B() => Next(A);
    [Step] public void End() { }
}
