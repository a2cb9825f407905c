namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0001", null)]
public class MissingStartFlow : FlowSpec
{
    [Step] public void Begin() => Next(End);
    [Step] public void End() { }
}
