namespace Sharpflow.Tests.Flows;

/// <summary>Keeps a live resource in an artifact by mistake.</summary>
public class BadArtifactFlow : FlowSpec
{
    public string Before = "";
    public MemoryStream? Buffer;

    [Step] public void Start() { Before = "kept"; Next(Open); }
    [Step] public void Open() { Buffer = new MemoryStream([1, 2, 3]); Next(End); }
    [Step] public void End() { }
}
