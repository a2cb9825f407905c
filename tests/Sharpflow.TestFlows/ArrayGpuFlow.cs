namespace Sharpflow.TestFlows;

/// <summary>
/// A foreach of <see cref="Width"/> GPU tasks on Slurm, submitted as one job array; the first attempt of item
/// <see cref="FailItem"/> fails, so its retry runs as a job of its own.
/// </summary>
public class ArrayGpuFlow : FlowSpec
{
    [Parameter(Help = "How many Train tasks")] public int Width { get; set; } = 24;

    [Parameter(Help = "The item whose first attempt fails (-1: none)")] public int FailItem { get; set; } = 7;

    public List<int> Items = [];
    public int Item;
    public int Squared;
    public string Gpus = "";
    public string Job = "";
    public string ArrayJob = "";
    public string ArrayIndex = "";
    public long Total;

    [Step]
    public void Start()
    {
        Items = Enumerable.Range(0, Width).ToList();
        Next(Train, forEach: nameof(Items));
    }

    [Step, Slurm(MaxParallel = 8), Resources(Gpu = 1, Memory = "256M"), Retry(Times = 1)]
    public void Train()
    {
        Item = Input<int>();
        Gpus = string.Join(",", Current.Gpus);
        Job = Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "";
        ArrayJob = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") ?? "";
        ArrayIndex = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID") ?? "";
        Console.WriteLine($"item {Item} on GPU {Gpus} in job {Job} (array {ArrayJob} element {ArrayIndex})");
        if (Item == FailItem && Current.RetryCount == 0)
        {
            throw new InvalidOperationException($"the first attempt of item {Item} fails");
        }
        Squared = Item * Item;
        Next(Join);
    }

    [Step]
    public void Join(Inputs<ArrayGpuFlow> inputs)
    {
        Total = inputs.Sum(i => (long)i.Squared);
        Next(End);
    }

    [Step] public void End() { }
}
