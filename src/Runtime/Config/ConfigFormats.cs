using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Model;

namespace Sharpflow.Config;

/// <summary>Reads config files into one tree shape (JSON nodes) whatever their format: TOML, JSON or YAML, chosen by extension.</summary>
public static partial class ConfigFormats
{
    /// <summary>Reads and parses a config file; errors name the file and the line.</summary>
    public static ConfigDocument Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Config file '{Path.GetFullPath(path)}' does not exist.", path);
        }
        return Parse(File.ReadAllText(path), Path.GetExtension(path), path);
    }

    /// <summary>Parses config text in the format named by <paramref name="extension"/> (<c>.toml</c>, <c>.json</c>, <c>.yaml</c>/<c>.yml</c>).</summary>
    public static ConfigDocument Parse(string text, string extension, string source) => extension.ToLowerInvariant() switch
    {
        ".toml" => ParseToml(text, source),
        ".json" => ParseJson(text, source),
        ".yaml" or ".yml" => YamlConfig.Parse(text, source),
        _ => throw new FormatException($"Config file '{source}' has extension '{extension}'; use .toml, .json, .yaml or .yml (or a custom parser).")
    };

    private static ConfigDocument ParseJson(string text, string source)
    {
        try
        {
            var tree = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                ?? throw new FormatException($"Config file '{source}' is empty (null).");
            return new ConfigDocument(source, tree, new Dictionary<string, int>());
        }
        catch (JsonException e)
        {
            throw new ConfigSyntaxException($"Config file '{source}', line {(e.LineNumber ?? 0) + 1}: not valid JSON: {e.Message}", (int)(e.LineNumber ?? 0) + 1, e);
        }
    }

    private static ConfigDocument ParseToml(string text, string source)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text)!;
        }
        catch (TomlException e)
        {
            throw new ConfigSyntaxException($"Config file '{source}', line {e.Line}: not valid TOML: {e.Message}", e.Line ?? 1, e);
        }
        return new ConfigDocument(source, FromToml(table)!, TomlKeyLines(text));
    }

    private static JsonNode? FromToml(object? value) => value switch
    {
        null => null,
        TomlTable table => new JsonObject(table.Select(p => KeyValuePair.Create(p.Key, FromToml(p.Value)))),
        TomlTableArray tables => new JsonArray(tables.Select(t => FromToml(t)).ToArray()),
        TomlArray array => new JsonArray(array.Select(FromToml).ToArray()),
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        TomlDateTime date => JsonValue.Create(date.ToString()),
        IFormattable f => JsonValue.Create(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>The line of each key: tables from their headers, keys from <c>key = value</c> lines inside them.</summary>
    private static Dictionary<string, int> TomlKeyLines(string text)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var table = "";
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (TomlHeader().Match(line) is { Success: true } header)
            {
                table = NormalizeKey(header.Groups[1].Value);
                lines.TryAdd(table, number);
            }
            else if (TomlAssignment().Match(line) is { Success: true } assignment)
            {
                var key = NormalizeKey(assignment.Groups[1].Value);
                lines.TryAdd(table.Length == 0 ? key : $"{table}.{key}", number);
            }
        }
        return lines;
    }

    private static string NormalizeKey(string key) => string.Join('.', key.Split('.').Select(part => part.Trim().Trim('"', '\'')));

    [GeneratedRegex(@"^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")]
    private static partial Regex TomlHeader();

    [GeneratedRegex(@"^((?:[A-Za-z0-9_\-]+|""[^""]*""|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|""[^""]*""|'[^']*'))*)\s*=")]
    private static partial Regex TomlAssignment();
}
