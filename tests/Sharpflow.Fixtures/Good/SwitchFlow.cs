namespace Sharpflow.Fixtures.Good;

public enum Mode { Fast, Balanced, Thorough }

/// <summary>A switch with three cases on an enum artifact; the cases meet again in End without a join.</summary>
[GoodFixture("balanced", "Start=1 Balanced=1 End=1")]
public class SwitchFlow : FlowSpec
{
    public Mode Choice;
    public string Result = "";

    [Step]
    public void Start()
    {
        Choice = Mode.Balanced;
        Switch(nameof(Choice), new() { ["Fast"] = Fast, ["Balanced"] = Balanced, ["Thorough"] = Thorough });
    }

    [Step] public void Fast() { Result = "fast"; Next(End); }
    [Step] public void Balanced() { Result = "balanced"; Next(End); }
    [Step] public void Thorough() { Result = "thorough"; Next(End); }
    [Step] public void End() { }
}
