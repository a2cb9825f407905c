using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sharpflow.Artifacts;

/// <summary>
/// Strings that are not well-formed UTF-16 (a high surrogate without its low one, or the reverse): UTF-8 and JSON
/// cannot carry them, and encoders silently turn them into U+FFFD. Sharpflow stores them exactly or refuses them.
/// </summary>
public static class WellFormedText
{
    /// <summary>True when every surrogate in <paramref name="text"/> is part of a pair.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text) => LoneSurrogateAt(text) < 0;

    /// <summary>The index of the first lone surrogate in <paramref name="text"/>, or -1.</summary>
    public static int LoneSurrogateAt(ReadOnlySpan<char> text)
    {
        var index = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (index >= 0)
        {
            if (Rune.DecodeFromUtf16(text[index..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return index;
            }
            var next = text[(index + consumed)..].IndexOfAnyInRange('\uD800', '\uDFFF');
            index = next < 0 ? -1 : index + consumed + next;
        }
        return -1;
    }
}

/// <summary>Writes strings into JSON artifacts, refusing one JSON cannot carry instead of saving U+FFFD in its place.</summary>
internal sealed class WellFormedStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(Checked(value));

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString()!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(Checked(value));

    private static string Checked(string value) => WellFormedText.LoneSurrogateAt(value) is var index and >= 0
        ? throw new JsonException(
            $"a string in it holds a lone UTF-16 surrogate (U+{(int)value[index]:X4} at index {index}), which JSON cannot store without changing it. "
            + "Store such text as its own string artifact (kept exactly) or as a char[], or fix the text where it was cut.")
        : value;
}
