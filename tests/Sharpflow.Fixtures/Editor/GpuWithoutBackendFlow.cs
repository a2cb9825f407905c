namespace Sharpflow.Fixtures.Editor;

/// <summary>A step asks for a GPU but nothing sends it to a GPU machine.</summary>
[EditorFixture("SF0108", "Train")]
public class GpuWithoutBackendFlow : FlowSpec
{
    [Step] public void Start() => Next(Train);

    [Step, Resources(Gpu = 1, Memory = "16G")]
    public void Train() => Next(End); // expect: SF0108

    [Step] public void End() { }
}
