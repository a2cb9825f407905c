namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0015", "Train")]
public class InvalidStepSignatureFlow : FlowSpec
{
    [Step] public void Start() => Next(End);
    [Step] public int Train(int epochs) => epochs;
    [Step] public void End() { }
}
