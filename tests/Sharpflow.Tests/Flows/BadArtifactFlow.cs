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

/// <summary>
/// A 2.16 GB float[] (more than one .NET buffer holds) made in Start, edited in place by Scale, and read by End:
/// saved in chunks and read back whole.
/// </summary>
public class LargeArrayFlow : FlowSpec
{
    /// <summary>540 million floats: 2,160,000,000 bytes, over int.MaxValue.</summary>
    public const int Length = 540_000_000;

    public float[] Weights = [];

    public double Checksum;

    /// <summary>A value that does not compress (as trained weights do not), known at every index.</summary>
    public static float ValueAt(long i) => (uint)(i * 2654435761L) / (float)uint.MaxValue;

    [Step]
    public void Start()
    {
        Weights = new float[Length];
        for (var i = 0; i < Weights.Length; i++)
        {
            Weights[i] = ValueAt(i);
        }
        Next(Scale);
    }

    /// <summary>Changes only the last value, in place: the task must still save the array anew.</summary>
    [Step]
    public void Scale()
    {
        Weights[^1] = -1f;
        Next(End);
    }

    [Step]
    public void End() => Checksum = Weights[0] + Weights[Length / 2] + Weights[^2] + Weights[^1];
}

/// <summary>A trigger that maps a payload field to a parameter the flow does not have.</summary>
[Trigger("data_updated", Parameters = "tabel=table_name")]
public class MistypedTriggerFlow : FlowSpec
{
    [Parameter] public string Table { get; set; } = "customers";

    [Step] public void Start() => Next(End);

    [Step] public void End() { }
}
