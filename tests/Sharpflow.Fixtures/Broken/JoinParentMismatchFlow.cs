namespace Sharpflow.Fixtures.Broken;

/// <summary>The join closes the inner split but also receives a branch of the outer one.</summary>
[BrokenFixture("SF0010", "InnerJoin")]
public class JoinParentMismatchFlow : FlowSpec
{
    [Step] public void Start() => Next(A, B);
    [Step] public void A() => Next(A1, A2);
    [Step] public void A1() => Next(InnerJoin);
    [Step] public void A2() => Next(InnerJoin);
    [Step] public void B() => Next(InnerJoin);
    [Step] public void InnerJoin(Inputs<JoinParentMismatchFlow> inputs) => Next(End);
    [Step] public void End() { }
}
