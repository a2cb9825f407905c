namespace Sharpflow.Tests.Flows;

/// <summary>Join merges: equal values merge, conflicting ones must be resolved or excluded.</summary>
public class MergeFlow : FlowSpec
{
    [Parameter] public string Mode { get; set; } = "exclude";

    public string Common = "";
    public int Score;
    public string Note = "";

    [Step] public void Start() { Common = "same"; Next(A, B); }
    [Step] public void A() { Score = 1; Note = "from a"; Next(Join); }
    [Step] public void B() { Score = 2; Note = "from b"; Next(Join); }

    [Step]
    public void Join(Inputs<MergeFlow> inputs)
    {
        switch (Mode)
        {
            case "exclude":
                Score = inputs.Max(i => i.Score);
                MergeArtifacts(inputs, exclude: [nameof(Note)]);
                break;
            case "conflict":
                MergeArtifacts(inputs);
                break;
            case "include":
                MergeArtifacts(inputs, include: [nameof(Common)]);
                break;
        }
        Next(End);
    }

    [Step] public void End() { }
}
