namespace Sharpflow.Tests.Flows;

public sealed record Metrics(string Name, double Auc, IReadOnlyList<double> Curve);

/// <summary>Artifacts of every built-in serializer, a transient member, and Current facts.</summary>
public class ArtifactKindsFlow : FlowSpec
{
    public float[] Weights = [];
    public double[] Embedding = []; // large enough to be a blob of its own (small values live in the task's index)
    public int[] Counts = [];
    public double Loss;
    public bool Flag;
    public decimal Price;
    public string Text = "";
    public string? Missing;
    public Metrics? Metrics;
    public Dictionary<string, int> Vocabulary = [];
    public List<List<int>> Nested = [];
    public (int A, string B) Pair;
    public string CurrentFacts = "";
    [Transient] public HttpClient Http = new();
    [Transient] public string Scratch = "not persisted";

    [Step]
    public void Start()
    {
        Weights = [1.5f, -2.25f, float.NaN];
        Embedding = [.. Enumerable.Range(0, 64).Select(i => i / 64.0)];
        Counts = [1, 2, 3];
        Loss = 0.125;
        Flag = true;
        Price = 12.34m;
        Text = "héllo";
        Metrics = new Metrics("auc", 0.91, [0.1, 0.5]);
        Vocabulary = new() { ["a"] = 1, ["b"] = 2 };
        Nested = [[1], [2, 3]];
        Pair = (7, "seven");
        CurrentFacts = $"{Current.FlowName}|{Current.StepName}|{Current.TaskId}|{Current.User}|{Current.Namespace}|{Current.ForeachIndex?.ToString() ?? "none"}|{Current.Pathspec}";
        Next(End);
    }

    [Step] public void End() { }
}
