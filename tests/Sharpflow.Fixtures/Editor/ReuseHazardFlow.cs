namespace Sharpflow.Fixtures.Editor;

/// <summary>A step that may be reused reads the clock through a helper; a step marked [Reuse(false)] may read it freely.</summary>
[EditorFixture("SF0112", "Stamp")]
public class ReuseHazardFlow : FlowSpec
{
    public string Stamp1 = "";
    public string Stamp2 = "";

    [Step] public void Start() => Next(Stamp);

    [Step]
    public void Stamp()
    {
        Stamp1 = Today(); // expect: SF0112
        Next(Fresh);
    }

    [Step, Reuse(false)]
    public void Fresh()
    {
        Stamp2 = DateTime.UtcNow.ToString("O");
        Next(End);
    }

    [Step] public void End() { }

    private static string Today() => DateTime.Now.ToString("yyyy-MM-dd");
}
