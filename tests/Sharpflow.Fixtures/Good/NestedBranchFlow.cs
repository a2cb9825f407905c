namespace Sharpflow.Fixtures.Good;

/// <summary>Three levels of static branches, each closed by its own join.</summary>
[GoodFixture("((l3a+l3b)+l2b)+l1b", "Start=1 L1a=1 L1b=1 L2a=1 L2b=1 L3a=1 L3b=1 J3=1 J2=1 J1=1 End=1")]
public class NestedBranchFlow : FlowSpec
{
    public string Result = "";

    [Step] public void Start() => Next(L1a, L1b);
    [Step] public void L1a() => Next(L2a, L2b);
    [Step] public void L2a() => Next(L3a, L3b);
    [Step] public void L3a() { Result = "l3a"; Next(J3); }
    [Step] public void L3b() { Result = "l3b"; Next(J3); }
    [Step] public void J3(Inputs<NestedBranchFlow> inputs) { Result = $"({inputs[0].Result}+{inputs[1].Result})"; Next(J2); }
    [Step] public void L2b() { Result = "l2b"; Next(J2); }
    [Step] public void J2(Inputs<NestedBranchFlow> inputs) { Result = $"{inputs["J3"].Result}+{inputs["L2b"].Result}"; Next(J1); }
    [Step] public void L1b() { Result = "l1b"; Next(J1); }
    [Step] public void J1(Inputs<NestedBranchFlow> inputs) { Result = $"({inputs["J2"].Result})+{inputs["L1b"].Result}"; Next(End); }
    [Step] public void End() { }
}
