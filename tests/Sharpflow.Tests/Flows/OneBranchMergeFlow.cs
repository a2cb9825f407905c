namespace Sharpflow.Tests.Flows;

/// <summary>
/// An artifact only one branch stores: a join that merges nothing stores none of X, so of the next split's branches only
/// the one that sets X has it, and the last join's MergeArtifacts takes it from there (as Metaflow's merge_artifacts does).
/// <see cref="Mode"/> picks how the last join merges: everything, <c>include</c> X, <c>include</c> Y (which no input
/// has), or everything after setting X itself (the join's own value is kept).
/// </summary>
public class OneBranchMergeFlow : FlowSpec
{
    [Parameter] public string Mode { get; set; } = "all";

    public string X = "";
    public string Y = "";
    public int Side;
    public List<string> Notes = [];

    /// <summary>A value each new instance draws anew: a join that merges takes the inputs' value, not its own fresh one.</summary>
    public string Tag = Guid.NewGuid().ToString("N");

    [Step] public void Start() => Next(A, B);
    [Step] public void A() { Side = 1; Next(FirstJoin); }
    [Step] public void B() { Side = 2; Next(FirstJoin); }
    [Step] public void FirstJoin(Inputs<OneBranchMergeFlow> inputs) => Next(SetsX, LeavesX);
    [Step] public void SetsX() { X = "set on one branch"; Notes = ["from a branch"]; Next(LastJoin); }
    [Step] public void LeavesX() { Notes = ["from a branch"]; Next(LastJoin); }

    [Step]
    public void LastJoin(Inputs<OneBranchMergeFlow> inputs)
    {
        switch (Mode)
        {
            case "include":
                MergeArtifacts(inputs, include: [nameof(X)]);
                break;
            case "include-missing":
                MergeArtifacts(inputs, include: [nameof(X), nameof(Y)]);
                break;
            case "join-sets":
                X = "the join's own";
                Notes.Add("the join's own"); // in place, on the list the join started with
                MergeArtifacts(inputs);
                break;
            default:
                MergeArtifacts(inputs);
                break;
        }
        Next(End);
    }

    [Step] public void End() { }
}
