namespace Sharpflow.Fixtures.Editor;

/// <summary>A statement after Next still runs, after the next step was chosen.</summary>
[EditorFixture("SF0101", "Train")]
public class CodeAfterTransitionFlow : FlowSpec
{
    public int Epochs;

    [Step] public void Start() => Next(Train);

    [Step]
    public void Train()
    {
        Epochs = 10;
        Next(End);
        Epochs++; // expect: SF0101
    }

    [Step] public void End() { }
}
