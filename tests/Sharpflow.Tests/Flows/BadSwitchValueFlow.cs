namespace Sharpflow.Tests.Flows;

public class BadSwitchValueFlow : FlowSpec
{
    public string Route = "";

    [Step] public void Start() { Route = "sideways"; Switch(nameof(Route), new() { ["up"] = Up, ["down"] = End }); }
    [Step] public void Up() => Next(End);
    [Step] public void End() { }
}
