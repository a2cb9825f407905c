using System.Text.Json;
using System.Text.Json.Serialization;
using Sharpflow.Artifacts;
using Sharpflow.Execution;
using Sharpflow.Packaging;

namespace Sharpflow.Metadata;

/// <summary>
/// Compile-time JSON contracts of the metadata records, with the same settings as <see cref="MetadataJson.Options"/>:
/// a run writes a handful of records, and building their contracts by reflection was about half of a small run's CPU.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(TaskRecord))]
[JsonSerializable(typeof(TaskRecord[]))]
[JsonSerializable(typeof(ArtifactIndex))]
[JsonSerializable(typeof(RunTags))]
[JsonSerializable(typeof(RunHeartbeat))]
[JsonSerializable(typeof(RunFingerprints))]
[JsonSerializable(typeof(CheckpointRecord))]
[JsonSerializable(typeof(CodePackageManifest))]
[JsonSerializable(typeof(IsolatedTaskSpec))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
