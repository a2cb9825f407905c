namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0021", null)]
public class InvalidExitHookFlow : FlowSpec
{
    [Step] public void Start() => Next(End);
    [Step] public void End() { }

    [OnSuccess] public void Notify(string channel) { }
}
