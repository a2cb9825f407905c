namespace Sharpflow.Tests.Flows;

/// <summary>A step that waits until it is cancelled.</summary>
public class SlowFlow : FlowSpec
{
    public string Done = "";

    [Step] public void Start() { Done = "start"; Next(Wait); }
    [Step] public async Task Wait() { await Task.Delay(TimeSpan.FromMinutes(5), Current.CancellationToken); Next(End); }
    [Step] public void End() { }
}
