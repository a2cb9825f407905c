namespace Sharpflow.TestFlows;

/// <summary>A step sent to Slurm with extra <c>sbatch</c> options and a setup script, to see both in its job.</summary>
public class SlurmSetupFlow : FlowSpec
{
    public string Greeting = "";
    public string Job = "";

    [Step]
    public void Start() => Next(Work);

    [Step, Slurm(Options = "--comment=sharpflow-options-test --nice=0", Setup = "export SETUP_GREETING=from-setup"), Resources(Memory = "256M")]
    public void Work()
    {
        Greeting = Environment.GetEnvironmentVariable("SETUP_GREETING") ?? "";
        Job = Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "";
        Next(End);
    }

    [Step] public void End() { }
}

/// <summary>A step whose request no node of the test cluster can meet (4 CPUs on a 2-CPU node): it can never start.</summary>
public class UnfitSlurmFlow : FlowSpec
{
    [Step]
    public void Start() => Next(Huge);

    [Step, Slurm, Resources(Cpu = 4, Memory = "256M")]
    public void Huge() => Next(End);

    [Step] public void End() { }
}
