namespace Sharpflow.Fixtures.Editor;

/// <summary>A config whose default file does not exist.</summary>
[EditorFixture("SF0103", null)]
public class ConfigDefaultMissingFlow : FlowSpec
{
    [Config("settings", Default = "no-such-settings.toml")] // expect: SF0103
    public EditorSettings Settings { get; set; } = new();

    [Step] public void Start() => Next(End);

    [Step] public void End() { }
}

/// <summary>The config type of the editor fixtures.</summary>
public sealed class EditorSettings
{
    public int Epochs { get; init; }

    public string Optimizer { get; init; } = "adam";
}
