namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0005", "Start")]
public class MultipleTransitionsFlow : FlowSpec
{
    public bool Fast;

    [Step]
    public void Start()
    {
        if (Fast)
        {
            Next(A);
        }
        else
        {
            Next(B);
        }
    }

    [Step] public void A() => Next(End);
    [Step] public void B() => Next(End);
    [Step] public void End() { }
}
