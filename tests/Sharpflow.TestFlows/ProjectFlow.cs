namespace Sharpflow.TestFlows;

/// <summary>A flow in a project: records the project and branch its run is on, as a step sees them.</summary>
[Project("forecast")]
public class ProjectFlow : FlowSpec
{
    public string? Project;

    public string? Branch;

    public bool Production;

    public string? TableName;

    [Step]
    public void Start()
    {
        Project = Current.ProjectName;
        Branch = Current.BranchName;
        Production = Current.IsProduction;
        TableName = Current.ProjectFlowName + ".predictions";
        Next(End);
    }

    [Step] public void End() { }
}
