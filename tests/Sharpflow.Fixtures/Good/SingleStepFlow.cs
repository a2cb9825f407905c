namespace Sharpflow.Fixtures.Good;

/// <summary>A flow of one step: it is both the start and the end.</summary>
[GoodFixture("only", "Start=1")]
public class SingleStepFlow : FlowSpec
{
    public string Result = "";

    [Step] public void Start() => Result = "only";
}
