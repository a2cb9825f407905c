namespace Sharpflow.Tests.Flows;

/// <summary>A step that runs until the test opens its gate (in-process runs; one test uses it).</summary>
public class GatedFlow : FlowSpec
{
    /// <summary>Released by the test once it has seen what it waits for.</summary>
    public static readonly SemaphoreSlim Gate = new(0);

    public int Result;

    [Step] public void Start() => Next(Work);

    [Step]
    public async Task Work()
    {
        if (!await Gate.WaitAsync(TimeSpan.FromMinutes(2), Current.CancellationToken))
        {
            throw new TimeoutException("the test never opened the gate");
        }
        Result = 42;
        Next(End);
    }

    [Step] public void End() { }
}
