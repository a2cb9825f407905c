namespace Sharpflow.Fixtures.Good;

[GoodFixture("a+b", "Start=1 A=1 B=1 Join=1 End=1")]
public class BranchFlow : FlowSpec
{
    public string Result = "";
    public string Shared = "";

    [Step] public void Start() { Shared = "same"; Next(A, B); }
    [Step] public void A() { Result = "a"; Next(Join); }
    [Step] public void B() { Result = "b"; Next(Join); }

    [Step]
    public void Join(Inputs<BranchFlow> inputs)
    {
        Result = inputs["A"].Result + "+" + inputs["B"].Result;
        MergeArtifacts(inputs); // Shared is equal everywhere; Result was set here, so it is kept
        Next(End);
    }

    [Step] public void End() { if (Shared != "same") throw new InvalidOperationException("merge lost Shared"); }
}
