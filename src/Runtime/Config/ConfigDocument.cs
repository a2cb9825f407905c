using System.Text.Json.Nodes;

namespace Sharpflow.Config;

/// <summary>A parsed config source: its tree and, where the format gives it, the line of each key (dotted path).</summary>
public sealed record ConfigDocument(string Source, JsonNode Tree, IReadOnlyDictionary<string, int> KeyLines);
