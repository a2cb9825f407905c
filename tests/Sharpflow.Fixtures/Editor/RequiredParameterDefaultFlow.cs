namespace Sharpflow.Fixtures.Editor;

/// <summary>A required parameter with an initial value that is never used.</summary>
[EditorFixture("SF0107", null)]
public class RequiredParameterDefaultFlow : FlowSpec
{
    [Parameter(Required = true)] public int Epochs { get; set; } = 3; // expect: SF0107

    [Step] public void Start() => Next(End);

    [Step] public void End() { }
}
