using System.Collections.Concurrent;

namespace Sharpflow.Tests.Flows;

/// <summary>Switchable faults: a test breaks a step, runs, "fixes the code" by clearing the fault, then resumes.</summary>
public static class Faults
{
    private static readonly ConcurrentDictionary<string, bool> Active = new();

    public static void Break(string key) => Active[key] = true;

    public static void Fix(string key) => Active.TryRemove(key, out _);

    public static void ThrowIf(string key)
    {
        if (Active.ContainsKey(key))
        {
            throw new InvalidOperationException($"fault '{key}'");
        }
    }
}

public class ResumeForeachFlow : FlowSpec
{
    [Parameter] public int Scale { get; set; } = 10;

    public List<int> Items = [];
    public string Stamp = "";
    public int Value;
    public int Total;

    [Step] public void Start() { Items = [1, 2, 3, 4]; Stamp = Guid.NewGuid().ToString(); Next(Body, forEach: nameof(Items)); }
    [Step] public void Body() { Value = Input<int>() * Scale; if (Input<int>() == 3) { Faults.ThrowIf("foreach"); } Next(Join); }
    [Step] public void Join(Inputs<ResumeForeachFlow> inputs) { Total = inputs.Sum(i => i.Value); Stamp = inputs[0].Stamp; Next(End); }
    [Step] public void End() { }
}

public class ResumeNestedForeachFlow : FlowSpec
{
    public List<int> Outer = [];
    public List<int> Inner = [];
    public string Path = "";
    public string Result = "";

    [Step] public void Start() { Outer = [0, 1]; Next(OuterStep, forEach: nameof(Outer)); }
    [Step] public void OuterStep() { Inner = [0, 1]; Next(Leaf, forEach: nameof(Inner)); }
    [Step] public void Leaf() { Path = Current.ForeachIndexPath; if (Path == "1.0") { Faults.ThrowIf("nested"); } Next(InnerJoin); }
    [Step] public void InnerJoin(Inputs<ResumeNestedForeachFlow> inputs) { Result = string.Join(",", inputs.Select(i => i.Path)); Next(OuterJoin); }
    [Step] public void OuterJoin(Inputs<ResumeNestedForeachFlow> inputs) { Result = string.Join(";", inputs.Select(i => i.Result)); Next(End); }
    [Step] public void End() { }
}

public class ResumeJoinFlow : FlowSpec
{
    public string Left = "";
    public string Right = "";
    public string Result = "";

    [Step] public void Start() => Next(A, B);
    [Step] public void A() { Left = "a"; Next(Join); }
    [Step] public void B() { Right = "b"; Next(Join); }
    [Step] public void Join(Inputs<ResumeJoinFlow> inputs) { Faults.ThrowIf("join"); Result = inputs["A"].Left + inputs["B"].Right; Next(End); }
    [Step] public void End() { }
}

public class ResumeSwitchFlow : FlowSpec
{
    public string Route = "";
    public string Result = "";

    [Step] public void Start() { Route = "b"; Switch(nameof(Route), new() { ["a"] = A, ["b"] = B }); }
    [Step] public void A() { Result = "a"; Next(End); }
    [Step] public void B() { Faults.ThrowIf("switch"); Result = "b"; Next(End); }
    [Step] public void End() { }
}

public class ResumeLoopFlow : FlowSpec
{
    public int Count;
    public string Trail = "";
    public bool Done;

    [Step] public void Start() => Next(Loop);

    [Step]
    public void Loop()
    {
        Count++;
        if (Count == 3)
        {
            Faults.ThrowIf("loop");
        }
        Trail += Trail.Length == 0 ? $"{Count}" : $",{Count}";
        Done = Count >= 5;
        Switch(nameof(Done), new() { ["false"] = Loop, ["true"] = End });
    }

    [Step] public void End() { }
}

/// <summary>A switch loop around a static branch: the branch tasks of each pass must stay apart on resume.</summary>
public class ResumeLoopedBranchFlow : FlowSpec
{
    public int Pass;
    public string Left = "";
    public string Right = "";
    public string Trail = "";
    public bool Again;

    [Step] public void Start() => Next(Round);
    [Step] public void Round() { Pass++; Next(L, R); }
    [Step] public void L() { Left = $"l{Pass}"; Next(J); }
    [Step] public void R() { Right = $"r{Pass}"; Next(J); }

    [Step]
    public void J(Inputs<ResumeLoopedBranchFlow> inputs)
    {
        Pass = inputs["L"].Pass;
        if (Pass == 2)
        {
            Faults.ThrowIf("looped");
        }
        Trail = inputs["L"].Trail + $"[{inputs["L"].Left}{inputs["R"].Right}]";
        Again = Pass < 3;
        Switch(nameof(Again), new() { ["true"] = Round, ["false"] = End });
    }

    [Step] public void End() { }
}

/// <summary>Version 1 of a loop inside a foreach: item N loops N times in Body; Body fails at item 4's third pass.</summary>
public class LoopInForeachFlow : FlowSpec
{
    public List<int> Items = [];
    public int N;
    public string State = "";
    public string Tag = "";
    public string Seen = "";

    [Step] public void Start() { Items = [2, 3, 4]; Next(Body, forEach: nameof(Items)); }

    [Step]
    public void Body()
    {
        N++;
        if (Input<int>() == 4 && N == 3)
        {
            Faults.ThrowIf("loop-in-foreach");
        }
        State = N == Input<int>() ? "done" : "again";
        Switch(nameof(State), new() { ["again"] = Body, ["done"] = E });
    }

    [Step] public void E() { Tag = $"{Input<int>()}:v1"; Next(Join); }

    [Step] public void Join(Inputs<LoopInForeachFlow> inputs) { Seen = string.Join(",", inputs.Select(i => i.Tag)); Next(End); }

    [Step] public void End() { }
}

/// <summary>The same flow with E changed (version 2): a resume must run every E with it.</summary>
public static class FixedE
{
    public class LoopInForeachFlow : FlowSpec
    {
        public List<int> Items = [];
        public int N;
        public string State = "";
        public string Tag = "";
        public string Seen = "";

        [Step] public void Start() { Items = [2, 3, 4]; Next(Body, forEach: nameof(Items)); }

        [Step]
        public void Body()
        {
            N++;
            State = N == Input<int>() ? "done" : "again";
            Switch(nameof(State), new() { ["again"] = Body, ["done"] = E });
        }

        [Step] public void E() { Tag = $"{Input<int>()}:v2"; Next(Join); }

        [Step] public void Join(Inputs<LoopInForeachFlow> inputs) { Seen = string.Join(",", inputs.Select(i => i.Tag)); Next(End); }

        [Step] public void End() { }
    }
}
