using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sharpflow.Artifacts;

/// <summary>
/// The JSON settings for user data (artifacts, parameters, dumped values): public fields included, NaN and infinity
/// allowed, enums by name. Reflection is enabled explicitly so flows also work in file-based apps, where it is off by default.
/// </summary>
internal static class DataJson
{
    /// <summary>How deeply user data may nest (the serializer's default, 64, is too shallow for linked structures).</summary>
    public const int MaxDepth = 1000;

    public static readonly JsonSerializerOptions Options = new()
    {
        MaxDepth = MaxDepth,
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(), new WellFormedStringConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
}
