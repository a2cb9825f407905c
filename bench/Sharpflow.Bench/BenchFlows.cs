using Sharpflow;

namespace Sharpflow.Bench;

/// <summary>A foreach of trivial tasks (1,000 wide unless told) and a join that sums one int per input.</summary>
public class WideForeachFlow : FlowSpec
{
    [Parameter(Help = "How many body tasks")] public int Width { get; set; } = 1000;
    public List<int> Items = [];
    public int Value;
    public long Sum;

    [Step] public void Start() { Items = Enumerable.Range(0, Width).ToList(); Next(Body, forEach: nameof(Items)); }
    [Step] public void Body() { Value = Input<int>(); Next(Join); }
    [Step] public void Join(Inputs<WideForeachFlow> inputs) { Sum = inputs.Sum(i => (long)i.Value); Next(End); }
    [Step] public void End() { }
}

/// <summary>Twenty trivial steps in a line, each touching one small artifact.</summary>
public class LongLinearFlow : FlowSpec
{
    public int Counter;

    [Step] public void Start() { Counter++; Next(S01); }
    [Step] public void S01() { Counter++; Next(S02); }
    [Step] public void S02() { Counter++; Next(S03); }
    [Step] public void S03() { Counter++; Next(S04); }
    [Step] public void S04() { Counter++; Next(S05); }
    [Step] public void S05() { Counter++; Next(S06); }
    [Step] public void S06() { Counter++; Next(S07); }
    [Step] public void S07() { Counter++; Next(S08); }
    [Step] public void S08() { Counter++; Next(S09); }
    [Step] public void S09() { Counter++; Next(S10); }
    [Step] public void S10() { Counter++; Next(S11); }
    [Step] public void S11() { Counter++; Next(S12); }
    [Step] public void S12() { Counter++; Next(S13); }
    [Step] public void S13() { Counter++; Next(S14); }
    [Step] public void S14() { Counter++; Next(S15); }
    [Step] public void S15() { Counter++; Next(S16); }
    [Step] public void S16() { Counter++; Next(S17); }
    [Step] public void S17() { Counter++; Next(S18); }
    [Step] public void S18() { Counter++; Next(End); }
    [Step] public void End() { Counter++; }
}

/// <summary>Four trivial steps in a line: what a process pays to run a small flow from its built binary.</summary>
public class FourStepFlow : FlowSpec
{
    public int Counter;

    [Step] public void Start() { Counter++; Next(Prepare); }
    [Step] public void Prepare() { Counter++; Next(Train); }
    [Step] public void Train() { Counter++; Next(End); }
    [Step] public void End() { Counter++; }
}

