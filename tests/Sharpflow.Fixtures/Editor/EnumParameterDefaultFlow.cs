namespace Sharpflow.Fixtures.Editor;

/// <summary>An enum parameter whose default is not one of the enum's values.</summary>
[EditorFixture("SF0106", null)]
public class EnumParameterDefaultFlow : FlowSpec
{
    [Parameter] public EditorMode Mode { get; set; } = (EditorMode)7; // expect: SF0106

    [Step] public void Start() => Next(End);

    [Step] public void End() { }
}

/// <summary>The enum of the fixture.</summary>
public enum EditorMode
{
    Fast,
    Thorough,
}
