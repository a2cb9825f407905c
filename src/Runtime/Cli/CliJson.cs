using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sharpflow.Metadata;

namespace Sharpflow.Cli;

/// <summary>
/// Compile-time JSON contracts of what the datastore-reading commands print with <c>--json</c> (<c>runs</c>, <c>show</c>,
/// <c>tag</c>), so the native <c>sharpflow</c> tool prints them without reflection. Settings as the metadata records':
/// camelCase, enums as strings, nulls omitted.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunsCommand.Row[]))]
[JsonSerializable(typeof(ShowRunCommand.RunView))]
[JsonSerializable(typeof(TagCommand.TagsView))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>The contracts with the relaxed escaping the commands print with (a tag with '+' stays readable).</summary>
    public static CliJsonContext Printed { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
