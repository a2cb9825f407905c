namespace Sharpflow.TestFlows;

/// <summary>
/// A foreach whose body runs as Slurm jobs asking for one GPU each, one job per task (<c>JobArray = false</c>); item 1's first
/// attempt fails (when asked) to show remote retries.
/// </summary>
public class GpuFlow : FlowSpec
{
    [Parameter(Help = "Make the first attempt of item 1 fail")] public bool FailFirst { get; set; }

    [Parameter(Help = "Seconds each Train task holds its GPU")] public double Hold { get; set; } = 2;

    [Parameter(Help = "How many Train tasks")] public int Width { get; set; } = 3;

    public List<int> Items = [];
    public int Item;
    public string Gpus = "";
    public string Job = "";
    public string ArrayJob = "";
    public string Host = "";
    public List<string> Seen = [];

    [Step]
    public void Start()
    {
        Items = Enumerable.Range(0, Width).ToList();
        Job = Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "";
        Next(Train, forEach: nameof(Items));
    }

    [Step, Slurm(JobArray = false), Resources(Gpu = 1, Memory = "256M"), Retry(Times = 1)]
    public void Train()
    {
        Item = Input<int>();
        Gpus = string.Join(",", Current.Gpus);
        Job = Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "";
        ArrayJob = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") ?? "";
        Console.WriteLine($"item {Item} on GPU {Gpus} in job {Job}");
        if (FailFirst && Item == 1 && Current.RetryCount == 0)
        {
            throw new InvalidOperationException("the first attempt of item 1 fails");
        }
        if (Environment.GetEnvironmentVariable("GPUFLOW_BROKEN_ITEM") == Item.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"item {Item} is broken in this environment");
        }
        Thread.Sleep(TimeSpan.FromSeconds(Hold));
        Next(Join);
    }

    [Step]
    public void Join(Inputs<GpuFlow> inputs)
    {
        Seen = inputs.Select(i => $"{i.Item}:{i.Gpus}:{i.Job}").ToList();
        Next(End);
    }

    [Step] public void End() { }
}
