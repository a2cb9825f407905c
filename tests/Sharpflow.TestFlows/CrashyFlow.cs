namespace Sharpflow.TestFlows;

/// <summary>A foreach whose second task kills its own process on its first attempts (for process isolation).</summary>
public class CrashyFlow : FlowSpec
{
    [Parameter(Help = "How many attempts of item 2 call Environment.Exit")] public int CrashAttempts { get; set; } = 1;

    public List<int> Items = [];
    public int ProcessId;
    public int Value;
    public int Total;
    public List<int> ProcessIds = [];

    [Step] public void Start() { Items = [1, 2, 3]; ProcessId = Environment.ProcessId; Next(Body, forEach: nameof(Items)); }

    [Step, Retry(Times = 1)]
    public void Body()
    {
        ProcessId = Environment.ProcessId;
        Console.WriteLine($"item {Input<int>()} attempt {Current.RetryCount} in process {ProcessId}");
        if (Input<int>() == 2 && Current.RetryCount < CrashAttempts)
        {
            Environment.Exit(3);
        }
        Value = Input<int>() * 2;
        Next(Join);
    }

    [Step]
    public void Join(Inputs<CrashyFlow> inputs)
    {
        Total = inputs.Sum(i => i.Value);
        ProcessIds = inputs.Select(i => i.ProcessId).ToList();
        Next(End);
    }

    [Step] public void End() { }
}
