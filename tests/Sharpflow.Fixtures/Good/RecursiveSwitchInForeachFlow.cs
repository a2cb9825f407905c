namespace Sharpflow.Fixtures.Good;

/// <summary>Each foreach task loops a different number of times before the join.</summary>
[GoodFixture("1:1,2:2,3:3", "Start=1 Loop=6 Join=1 End=1")]
public class RecursiveSwitchInForeachFlow : FlowSpec
{
    public List<int> Targets = [];
    public int Count;
    public string State = "";
    public string Result = "";

    [Step] public void Start() { Targets = [1, 2, 3]; Next(Loop, forEach: nameof(Targets)); }

    [Step]
    public void Loop()
    {
        Count++;
        State = Count >= Input<int>() ? "done" : "again";
        Switch(nameof(State), new() { ["again"] = Loop, ["done"] = Join });
    }

    [Step] public void Join(Inputs<RecursiveSwitchInForeachFlow> inputs) { Result = string.Join(",", inputs.Select((i, n) => $"{n + 1}:{i.Count}")); Next(End); }
    [Step] public void End() { }
}
