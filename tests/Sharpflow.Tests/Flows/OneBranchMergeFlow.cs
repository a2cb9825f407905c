namespace Sharpflow.Tests.Flows;

/// <summary>
/// An artifact only one branch stores: a join that merges nothing stores none of X, so of the next split's branches only
/// the one that sets X has it, and the last join's MergeArtifacts takes it from there (as Metaflow's merge_artifacts does).
/// </summary>
public class OneBranchMergeFlow : FlowSpec
{
    public string X = "";
    public int Side;

    [Step] public void Start() => Next(A, B);
    [Step] public void A() { Side = 1; Next(FirstJoin); }
    [Step] public void B() { Side = 2; Next(FirstJoin); }
    [Step] public void FirstJoin(Inputs<OneBranchMergeFlow> inputs) => Next(SetsX, LeavesX);
    [Step] public void SetsX() { X = "set on one branch"; Next(LastJoin); }
    [Step] public void LeavesX() => Next(LastJoin);
    [Step] public void LastJoin(Inputs<OneBranchMergeFlow> inputs) { MergeArtifacts(inputs); Next(End); }
    [Step] public void End() { }
}
