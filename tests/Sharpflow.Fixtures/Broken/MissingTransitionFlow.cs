namespace Sharpflow.Fixtures.Broken;

[BrokenFixture("SF0004", "Train")]
public class MissingTransitionFlow : FlowSpec
{
    [Step] public void Start() => Next(Train);
    [Step] public void Train() => Console.WriteLine("forgot Next");
    [Step] public void End() { }
}
