using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Sharpflow.Argo;

/// <summary>Writes Argo resources as YAML (for <c>kubectl apply -f</c> / <c>argo template create</c>), quoting strings that YAML would read as numbers or booleans.</summary>
public static class ArgoYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build();

    /// <summary>The resources as one YAML document each, separated by <c>---</c>.</summary>
    public static string Write(IEnumerable<JsonNode> resources) =>
        string.Join("---\n", resources.Select(r => Serializer.Serialize(Plain(r))));

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v => v.TryGetValue<long>(out var whole) ? whole : v.GetValue<double>(),
        _ => throw new ArgumentException($"Unexpected JSON node {node.GetType().Name}."),
    };
}
