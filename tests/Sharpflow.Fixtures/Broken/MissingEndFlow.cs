namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0002", null)]
public class MissingEndFlow : FlowSpec
{
    [Step] public void Start() => Next(Finish);
    [Step] public void Finish() => Next(Start);
}
