namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0007", "Orphan")]
public class UnreachableStepFlow : FlowSpec
{
    [Step] public void Start() => Next(End);
    [Step] public void Orphan() => Next(End);
    [Step] public void End() { }
}
