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

/// <summary>A value whose serializer runs out of memory (as a large model's custom serializer can).</summary>
public sealed record HugeModel(string Name);

/// <summary>A user serializer that runs out of memory.</summary>
public sealed class OutOfMemorySerializer : Artifacts.IArtifactSerializer
{
    public string Id => "huge";

    public bool CanSerialize(Type type) => type == typeof(HugeModel);

    public ReadOnlyMemory<byte> Serialize(object value, Type type) => throw new OutOfMemoryException("Insufficient memory to continue the execution of the program.");

    public object? Deserialize(ReadOnlyMemory<byte> data, Type type) => new HugeModel("");
}

[ArtifactSerializer(typeof(OutOfMemorySerializer))]
public class TooLargeArtifactFlow : FlowSpec
{
    public HugeModel? Model;

    [Step] public void Start() { Model = new HugeModel("weights"); Next(End); }

    [Step] public void End() { }
}
