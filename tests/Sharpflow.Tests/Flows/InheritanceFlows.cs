namespace Sharpflow.Tests.Flows;

/// <summary>
/// A foreach whose body tasks touch their inherited artifacts in every way a step can: not at all, read only, mutated
/// in place, through a helper, a lambda, another class, and a join that reads one artifact of each input.
/// </summary>
public class InheritanceFlow : FlowSpec
{
    public List<int> Items = [];
    public List<string> Log = [];
    public List<int> Mutated = [];
    public string Label = "";
    public int ReadThroughHelper;
    public int ReadThroughLambda;
    public int ReadByAnotherClass;
    public int Value;
    public string Seen = "";
    public long Sum;
    public int JoinedLogCount;

    [Step]
    public void Start()
    {
        Items = [.. Enumerable.Range(1, 4)];
        Log = ["started"];
        Mutated = [0];
        Label = "from start";
        ReadThroughHelper = 10;
        ReadThroughLambda = 20;
        ReadByAnotherClass = 30;
        Next(Body, forEach: nameof(Items));
    }

    [Step]
    public void Body()
    {
        var item = Input<int>();
        Mutated.Add(item); // in place: must be stored anew
        var lambda = new Func<int>(() => ReadThroughLambda);
        Value = item + Helper() + lambda() + InheritanceReader.Read(this);
        Seen = Label;
        Next(Join);
    }

    [Step]
    public void Join(Inputs<InheritanceFlow> inputs)
    {
        Sum = inputs.Sum(i => (long)i.Value);
        JoinedLogCount = inputs.Count(i => i.Log.Count == 1);
        Next(End);
    }

    [Step] public void End() { }

    private int Helper() => ReadThroughHelper;
}

/// <summary>Code outside the flow that reads one of its artifacts.</summary>
public static class InheritanceReader
{
    public static int Read(InheritanceFlow flow) => flow.ReadByAnotherClass;
}

/// <summary>A step that reads its artifacts by reflection: every artifact counts.</summary>
public class ReflectiveFlow : FlowSpec
{
    public string Secret = "";
    public string Copied = "";

    [Step] public void Start() { Secret = "shh"; Next(Copy); }

    [Step]
    public void Copy()
    {
        Copied = (string)GetType().GetField("Secret")!.GetValue(this)!;
        Next(End);
    }

    [Step] public void End() { }
}

/// <summary>A step that hands the flow to a library which assigns one of its artifacts by reflection, out of the IL analysis's sight.</summary>
public class LibraryWriterFlow : FlowSpec
{
    public string Note = "";
    public int Kept;

    [Step] public void Start() { Note = "from start"; Kept = 7; Next(Write); }

    [Step]
    public void Write()
    {
        Sharpflow.Fixtures.Library.ReflectionWriter.Set(this, "Note", "written by the library");
        Next(End);
    }

    [Step] public void End() { }
}

/// <summary>A base flow that brings the end step: declared first, so declaration order would list it before Start.</summary>
public abstract class AuditedFlowBase : FlowSpec
{
    [Step]
    public void End() => Console.WriteLine("audited");
}

/// <summary>A flow whose start and middle steps come after its base class's end step in declaration order.</summary>
public class AuditedFlow : AuditedFlowBase
{
    [Parameter(Help = "How many rows")] public int Rows { get; set; } = 12;

    [Step]
    public void Start() => Next(Check);

    [Step]
    public void Check() => Next(End);
}
