namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0020", "Start")]
public class InvalidSwitchCasesFlow : FlowSpec
{
    public string Mode = "a";

    [Step] public void Start() => Switch(nameof(Mode), new() { ["a"] = A, ["a"] = End });
    [Step] public void A() => Next(End);
    [Step] public void End() { }
}
