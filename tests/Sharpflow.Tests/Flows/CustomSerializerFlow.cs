using System.Text;
using Sharpflow.Artifacts;

namespace Sharpflow.Tests.Flows;

/// <summary>A type System.Text.Json cannot round-trip (no public setters) and its own serializer.</summary>
public sealed class Point(int x, int y)
{
    public int X { get; } = x;
    public int Y { get; } = y;
    private int Secret { get; } = x * y;
    public int Check => Secret;
}

public sealed class PointSerializer : IArtifactSerializer
{
    public string Id => "point";

    public bool CanSerialize(Type type) => type == typeof(Point);

    public ReadOnlyMemory<byte> Serialize(object value, Type type)
    {
        var p = (Point)value;
        return Encoding.UTF8.GetBytes($"{p.X};{p.Y}");
    }

    public object? Deserialize(ReadOnlyMemory<byte> data, Type type)
    {
        var parts = Encoding.UTF8.GetString(data.Span).Split(';');
        return new Point(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}

[ArtifactSerializer(typeof(PointSerializer))]
public class CustomSerializerFlow : FlowSpec
{
    public Point Corner = new(0, 0);

    [Step] public void Start() { Corner = new Point(3, 4); Next(End); }
    [Step] public void End() { if (Corner.Check != 12) throw new InvalidOperationException("custom serializer lost state"); }
}
