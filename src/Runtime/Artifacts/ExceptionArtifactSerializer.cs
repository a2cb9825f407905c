using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sharpflow.Metadata;

namespace Sharpflow.Artifacts;

/// <summary>
/// Exceptions as artifacts: stored as their type, message and stack trace (an <see cref="ExceptionRecord"/>), read back
/// as a <see cref="CaughtException"/> that carries all three; an exception object itself does not serialize.
/// </summary>
public sealed class ExceptionArtifactSerializer : IArtifactSerializer
{
    private static JsonTypeInfo<ExceptionRecord> Contract => (JsonTypeInfo<ExceptionRecord>)DataJson.Options.GetTypeInfo(typeof(ExceptionRecord));

    /// <inheritdoc />
    public string Id => "exception";

    /// <inheritdoc />
    public bool CanSerialize(Type type) => typeof(Exception).IsAssignableFrom(type);

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Serialize(object value, Type type) =>
        JsonSerializer.SerializeToUtf8Bytes(value is CaughtException caught ? caught.Record : ExceptionRecord.From((Exception)value), Contract);

    /// <inheritdoc />
    public object? Deserialize(ReadOnlyMemory<byte> data, Type type)
    {
        var record = JsonSerializer.Deserialize(data.Span, Contract)!;
        return type.IsAssignableFrom(typeof(ExceptionRecord)) && !type.IsAssignableFrom(typeof(CaughtException)) ? record
            : type.IsAssignableFrom(typeof(CaughtException)) ? new CaughtException(record)
            : throw new InvalidCastException($"it holds a {record.Type}, stored as its type, message and stack trace; read it as Exception (a CaughtException) or ExceptionRecord, not {type.Name}.");
    }
}
