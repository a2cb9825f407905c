using Sharpflow;

namespace MyFlows;

/// <summary>
/// Scores a few candidate settings in parallel and keeps the best: a parameter, a foreach fan-out, a join. Every public
/// field is an artifact, saved after each step and readable later (<c>dump latest/End</c>, the Client API, the notebook).
/// </summary>
public class MyFlowsFlow : FlowSpec
{
    [Parameter(Help = "How many candidates to score")] public int Candidates { get; set; } = 4;

    public List<int> Settings = [];
    public int Setting;
    public double Score;
    public int Best;

    /// <summary>Lists the settings to try.</summary>
    [Step]
    public void Start()
    {
        Settings = Enumerable.Range(1, Candidates).ToList();
        Next(Evaluate, forEach: nameof(Settings));      // one task per setting, in parallel
    }

    /// <summary>Scores one setting.</summary>
    [Step]
    public void Evaluate()
    {
        Setting = Input<int>();                          // this task's item
        Score = Evaluation.Score(Setting);
        Console.WriteLine($"setting {Setting} scores {Score:0.000}");
        Next(Pick);
    }

    /// <summary>Keeps the best-scoring setting.</summary>
    [Step]
    public void Pick(Inputs<MyFlowsFlow> inputs)         // the join sees every Evaluate task
    {
        var best = inputs.MaxBy(i => i.Score)!;
        (Best, Score) = (best.Setting, best.Score);
        Next(End);
    }

    /// <summary>Reports the result.</summary>
    [Step]
    public void End() => Console.WriteLine($"best setting {Best} with score {Score:0.000}");
}

/// <summary>The work each task does: replace it with your own (train a model, query a database, ...).</summary>
public static class Evaluation
{
    /// <summary>A score that peaks at setting 3.</summary>
    public static double Score(int setting) => 1.0 / (1 + Math.Abs(setting - 3));
}
