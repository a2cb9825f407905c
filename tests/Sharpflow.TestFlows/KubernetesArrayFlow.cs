namespace Sharpflow.TestFlows;

/// <summary>
/// A foreach of <see cref="Width"/> GPU tasks on Kubernetes, run as one Indexed Job three at a time; the first attempt of
/// item <see cref="FailItem"/> fails, so its retry runs as a Job of its own. Each task records the completion index of
/// the pod that ran it.
/// </summary>
public class KubernetesArrayFlow : FlowSpec
{
    [Parameter(Help = "How many Train tasks")] public int Width { get; set; } = 6;

    [Parameter(Help = "The item whose first attempt fails (-1: none)")] public int FailItem { get; set; } = 2;

    [Parameter(Help = "Seconds each Train task waits before it finishes")] public int Hold { get; set; }

    public List<int> Items = [];
    public int Item;
    public int Squared;
    public string CompletionIndex = "";
    public long Total;

    [Step]
    public void Start()
    {
        Items = Enumerable.Range(0, Width).ToList();
        Next(Train, forEach: nameof(Items));
    }

    [Step, Kubernetes(Image = "registry.example/sharpflow-worker:10", Namespace = "ml", MaxParallel = 3), Resources(Gpu = 1, Memory = "2G"), Retry(Times = 1)]
    public void Train()
    {
        Item = Input<int>();
        CompletionIndex = Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX") ?? "";
        Console.WriteLine($"item {Item} in the pod of completion index '{CompletionIndex}'");
        Thread.Sleep(TimeSpan.FromSeconds(Hold));
        if (Item == FailItem && Current.RetryCount == 0)
        {
            throw new InvalidOperationException($"the first attempt of item {Item} fails");
        }
        Squared = Item * Item;
        Next(Join);
    }

    [Step]
    public void Join(Inputs<KubernetesArrayFlow> inputs)
    {
        Total = inputs.Sum(i => (long)i.Squared);
        Next(End);
    }

    [Step] public void End() { }
}
