namespace Sharpflow.Fixtures.Editor;

/// <summary>A config whose default file parses but has a value of the wrong type on line 3.</summary>
[EditorFixture("SF0104", null)]
public class ConfigDefaultInvalidFlow : FlowSpec
{
    [Config("settings", Default = "editor-invalid-settings.toml")] // expect: SF0104
    public EditorSettings Settings { get; set; } = new();

    [Step] public void Start() => Next(End);

    [Step] public void End() { }
}
