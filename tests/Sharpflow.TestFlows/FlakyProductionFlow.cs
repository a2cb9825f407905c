namespace Sharpflow.TestFlows;

/// <summary>A foreach whose item 2 fails while <c>FLAKY_PRODUCTION_BROKEN</c> is set: a production run fails there and is resumed locally.</summary>
public class FlakyProductionFlow : FlowSpec
{
    public List<int> Parts = [];
    public int Score;
    public int Total;

    [Step] public void Start() { Parts = [1, 2, 3]; Next(Train, forEach: nameof(Parts)); }

    [Step]
    public void Train()
    {
        if (Input<int>() == 2 && Environment.GetEnvironmentVariable("FLAKY_PRODUCTION_BROKEN") == "1")
        {
            throw new InvalidOperationException("part 2 cannot be read in this environment");
        }
        Score = Input<int>() * 10;
        Next(Join);
    }

    [Step] public void Join(Inputs<FlakyProductionFlow> inputs) { Total = inputs.Sum(i => i.Score); Next(End); }

    [Step] public void End() { }
}
