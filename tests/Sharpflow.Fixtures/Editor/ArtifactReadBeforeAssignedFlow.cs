namespace Sharpflow.Fixtures.Editor;

/// <summary>Evaluate reads Model, which only a step on another branch assigns; Report (assigned upstream) and the join's reads are fine.</summary>
[EditorFixture("SF0102", "Evaluate")]
public class ArtifactReadBeforeAssignedFlow : FlowSpec
{
    public string? Model;
    public string? Data;
    public string? Report;

    [Step] public void Start() { Data = "rows"; Next(Train, Evaluate); }

    [Step] public void Train() { Model = $"fit on {Data}"; Next(Join); }

    [Step]
    public void Evaluate()
    {
        Report = $"scored {Model}"; // expect: SF0102
        Next(Join);
    }

    [Step] public void Join(Inputs<ArtifactReadBeforeAssignedFlow> inputs) { MergeArtifacts(inputs); Next(End); }

    [Step] public void End() => Console.WriteLine($"{Model} {Report}");
}
