namespace Sharpflow.TestFlows;

/// <summary>A Slurm step that runs past its timeout; catch turns the failure into an artifact and the flow goes on.</summary>
public class SlowRemoteFlow : FlowSpec
{
    public string Job = "";
    public object? Failure;

    [Step] public void Start() => Next(Wait);

    [Step, Slurm, Resources(Memory = "256M"), Timeout(Seconds = 4), Catch(Var = nameof(Failure))]
    public void Wait()
    {
        Job = Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "";
        Console.WriteLine($"waiting in job {Job}");
        Thread.Sleep(TimeSpan.FromMinutes(10));
        Next(End);
    }

    [Step] public void End() { }
}
