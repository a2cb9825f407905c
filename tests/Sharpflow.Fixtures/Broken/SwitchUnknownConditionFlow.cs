namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0014", "Start")]
public class SwitchUnknownConditionFlow : FlowSpec
{
    public string Mode = "a";

    [Step] public void Start() => Switch("Mod", new() { ["a"] = A, ["b"] = End });
    [Step] public void A() => Next(End);
    [Step] public void End() { }
}
