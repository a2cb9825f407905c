namespace Sharpflow.Fixtures.Good;

/// <summary>A step that loops on itself through a switch until a condition holds.</summary>
[GoodFixture("1,2,3,4", "Start=1 Loop=4 End=1")]
public class RecursiveSwitchFlow : FlowSpec
{
    public int Count;
    public bool Done;
    public string Result = "";

    [Step] public void Start() => Next(Loop);

    [Step]
    public void Loop()
    {
        Count++;
        Result = Result.Length == 0 ? $"{Count}" : $"{Result},{Count}";
        Done = Count >= 4;
        Switch(nameof(Done), new() { ["false"] = Loop, ["true"] = End });
    }

    [Step] public void End() { }
}
