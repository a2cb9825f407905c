namespace Sharpflow.Fixtures.Editor;

/// <summary>A parameter of an interface type: nothing on the command line or in stored JSON can create it.</summary>
[EditorFixture("SF0105", null)]
public class ParameterTypeFlow : FlowSpec
{
    [Parameter] public IComparer<int>? Order { get; set; } // expect: SF0105

    [Parameter] public IReadOnlyList<int> Sizes { get; set; } = [1, 2];

    [Step] public void Start() => Next(End);

    [Step] public void End() { }
}
