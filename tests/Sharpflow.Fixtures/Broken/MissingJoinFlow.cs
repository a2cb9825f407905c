namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0009", "Merge")]
public class MissingJoinFlow : FlowSpec
{
    [Step] public void Start() => Next(A, B);
    [Step] public void A() => Next(Merge);
    [Step] public void B() => Next(Merge);
    [Step] public void Merge() => Next(End);
    [Step] public void End() { }
}
