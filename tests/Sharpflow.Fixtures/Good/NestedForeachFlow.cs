namespace Sharpflow.Fixtures.Good;

/// <summary>Three nested foreaches (2 x 2 x 2 leaves); each leaf records its foreach index path and items.</summary>
[GoodFixture("[[0.0.0=xay,0.0.1=xaz],[0.1.0=xby,0.1.1=xbz]];[[1.0.0=way,1.0.1=waz],[1.1.0=wby,1.1.1=wbz]]",
    "Start=1 Outer=2 Middle=4 Leaf=8 JoinInner=4 JoinMiddle=2 JoinOuter=1 End=1")]
public class NestedForeachFlow : FlowSpec
{
    public List<string> Xs = [];
    public List<string> Ys = [];
    public List<string> Zs = [];
    public string Path = "";
    public string Result = "";

    [Step] public void Start() { Xs = ["x", "w"]; Next(Outer, forEach: nameof(Xs)); }
    [Step] public void Outer() { Path = Input<string>(); Ys = ["a", "b"]; Next(Middle, forEach: nameof(Ys)); }
    [Step] public void Middle() { Path += Input<string>(); Zs = ["y", "z"]; Next(Leaf, forEach: nameof(Zs)); }
    [Step] public void Leaf() { Result = $"{Current.ForeachIndexPath}={Path}{Input<string>()}"; Next(JoinInner); }
    [Step] public void JoinInner(Inputs<NestedForeachFlow> inputs) { Result = "[" + string.Join(",", inputs.Select(i => i.Result)) + "]"; Next(JoinMiddle); }
    [Step] public void JoinMiddle(Inputs<NestedForeachFlow> inputs) { Result = "[" + string.Join(",", inputs.Select(i => i.Result)) + "]"; Next(JoinOuter); }
    [Step] public void JoinOuter(Inputs<NestedForeachFlow> inputs) { Result = string.Join(";", inputs.Select(i => i.Result)); Next(End); }
    [Step] public void End() { }
}
