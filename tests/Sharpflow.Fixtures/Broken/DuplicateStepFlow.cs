namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0018", "Middle")]
public class DuplicateStepFlow : FlowSpec
{
    [Step] public void Start() => Next(End);
    [Step] public void Middle() => Next(End);
    [Step] public void Middle(Inputs<DuplicateStepFlow> inputs) => Next(End);
    [Step] public void End() { }
}
