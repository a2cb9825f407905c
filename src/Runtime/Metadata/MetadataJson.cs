using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sharpflow.Metadata;

/// <summary>The JSON settings for every metadata record: camelCase, enums as strings, compact.</summary>
internal static class MetadataJson
{
    /// <summary>
    /// The records' settings with their compile-time contracts only (<see cref="MetadataJsonContext"/>): no reflection,
    /// so a native (AOT) host such as the <c>sharpflow</c> tool reads and writes them too.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Create(MetadataJsonContext.Default);

    /// <summary>The same settings for other shapes (run events, config maps, command output), contracts made by reflection.</summary>
    public static JsonSerializerOptions Flexible => FlexibleOptions.Instance;

    private static Task? _prepared;

    /// <summary>
    /// Writes and reads back a sample run record and task record on a thread-pool thread, once per process. The first
    /// use of a record's contract costs tens of milliseconds (building it, compiling the serializer's code for its
    /// property types); done here on the second core, the run's own first record write and reads find it done.
    /// </summary>
    public static void PrepareRunRecords() => _prepared ??= Task.Run(() =>
    {
        var now = DateTimeOffset.UtcNow;
        var run = new RunRecord { FlowName = "Prepare", RunId = "0", User = "-", CreatedAt = now, Parameters = new Dictionary<string, string> { ["p"] = "v" } };
        Deserialize<RunRecord>(Serialize(run), "(prepared run record)");
        var task = new TaskRecord
        {
            FlowName = run.FlowName, RunId = run.RunId, StepName = "start", TaskId = "1", StartedAt = now, FinishedAt = now, ForeachCount = 1,
            Artifacts = new ArtifactIndex(new Dictionary<string, ArtifactEntry> { ["a"] = new("0", "json", "System.Int32", 1) }),
        };
        Deserialize<TaskRecord>(Serialize(task), "(prepared task record)");
    });

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Contract<T>());

    public static T Deserialize<T>(byte[] data, string location)
    {
        try
        {
            return JsonSerializer.Deserialize(data, Contract<T>())
                ?? throw new InvalidDataException($"Metadata record '{location}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Metadata record '{location}' is not valid: {e.Message}", e);
        }
    }

    private static JsonTypeInfo<T> Contract<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create(IJsonTypeInfoResolver resolver) => new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = resolver,
    };

    /// <summary>Made on first use, so a host that only reads records never builds a reflection-based resolver.</summary>
    private static class FlexibleOptions
    {
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Used only by the flow runtime (JIT), never by a native host: those read and write records through Options.")]
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "As above: reflection-made contracts are for the flow runtime's own event and config shapes.")]
        public static readonly JsonSerializerOptions Instance = CreateFlexible();

        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "See Instance.")]
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "See Instance.")]
        private static JsonSerializerOptions CreateFlexible()
        {
            var options = Create(JsonTypeInfoResolver.Combine(MetadataJsonContext.Default, new DefaultJsonTypeInfoResolver()));
            options.Converters.Add(new JsonStringEnumConverter());
            return options;
        }
    }
}
