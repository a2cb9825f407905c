namespace Sharpflow.Tests.Flows;

/// <summary>A switch loop that never exits: the run's loop bound must stop it.</summary>
public class EndlessLoopFlow : FlowSpec
{
    public bool Done;
    public int Turns;

    [Step] public void Start() => Next(Spin);
    [Step] public void Spin() { Turns++; Switch(nameof(Done), new() { ["false"] = Spin, ["true"] = End }); }
    [Step] public void End() { }
}
