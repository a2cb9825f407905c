using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sharpflow.Metadata;

/// <summary>The JSON settings for every metadata record: camelCase, enums as strings, compact.</summary>
internal static class MetadataJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // The records' contracts are generated at compile time; any other type falls back to reflection.
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(MetadataJsonContext.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(byte[] data, string location)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(data, Options)
                ?? throw new InvalidDataException($"Metadata record '{location}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Metadata record '{location}' is not valid: {e.Message}", e);
        }
    }
}
