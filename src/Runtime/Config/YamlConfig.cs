using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;
using YamlDotNet.RepresentationModel;

namespace Sharpflow.Config;

/// <summary>
/// YAML config files as a tree of JSON nodes, with the line of every key. Merge keys (<c>&lt;&lt;: *defaults</c>) are
/// applied, keys must be plain values, and every syntax error names the line it is on (the YAML library leaves some at
/// line 1 or without any position).
/// </summary>
internal static class YamlConfig
{
    private const string MergeKey = "<<";

    public static ConfigDocument Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var line = LineOf(e, text);
            throw new ConfigSyntaxException($"Config file '{source}', line {line}: not valid YAML: {e.Message}", line, e);
        }
        catch (InvalidOperationException e)
        {
            // The parser gives up without a position (an unclosed [ or {, say): find where the text stops making sense.
            var (line, why) = WhereItStops(text);
            throw new ConfigSyntaxException($"Config file '{source}', line {line}: not valid YAML: {why}", line, e);
        }
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var tree = stream.Documents.Count == 0 ? new JsonObject() : Convert(stream.Documents[0].RootNode, "", lines, source) ?? new JsonObject();
        return new ConfigDocument(source, tree, lines);
    }

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, int> lines, string source)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw new ConfigSyntaxException(
                            $"Config file '{source}', line {keyNode.Start.Line}: a key must be a plain value (a name), not a list or a mapping.", (int)keyNode.Start.Line);
                    }
                    if (key == MergeKey && keyNode is YamlScalarNode { Style: ScalarStyle.Plain })
                    {
                        continue; // applied below, under the keys written here
                    }
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    lines.TryAdd(child, (int)keyNode.Start.Line);
                    obj[key] = Convert(valueNode, child, lines, source);
                }
                foreach (var merged in MergedMappings(mapping, source))
                {
                    foreach (var (keyNode, valueNode) in merged.Children)
                    {
                        var key = ((YamlScalarNode)keyNode).Value!;
                        var child = path.Length == 0 ? key : $"{path}.{key}";
                        if (!obj.ContainsKey(key))
                        {
                            lines.TryAdd(child, (int)keyNode.Start.Line); // where the value is written: the anchor's mapping
                            obj[key] = Convert(valueNode, child, lines, source);
                        }
                    }
                }
                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray(sequence.Children.Select((c, i) => Convert(c, $"{path}[{i}]", lines, source)).ToArray());
            case YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain:
                return PlainScalar(scalar.Value);
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value);
            default:
                throw new ConfigSyntaxException($"Config file '{source}', line {node.Start.Line}: unsupported YAML node.", (int)node.Start.Line);
        }
    }

    /// <summary>The mappings a <c>&lt;&lt;</c> key merges in: one alias or a list of them, the first list entry winning.</summary>
    private static IEnumerable<YamlMappingNode> MergedMappings(YamlMappingNode mapping, string source)
    {
        if (!mapping.Children.TryGetValue(new YamlScalarNode(MergeKey), out var value))
        {
            return [];
        }
        return value switch
        {
            YamlMappingNode single => [single],
            YamlSequenceNode list when list.Children.All(c => c is YamlMappingNode) => list.Children.Cast<YamlMappingNode>(),
            _ => throw new ConfigSyntaxException(
                $"Config file '{source}', line {value.Start.Line}: '<<' merges a mapping (<<: *defaults) or a list of them.", (int)value.Start.Line),
        };
    }

    /// <summary>YAML 1.2 core schema for unquoted scalars: null, booleans, integers, floats, else a string.</summary>
    private static JsonNode? PlainScalar(string? value) => value switch
    {
        null or "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };

    /// <summary>The line of a syntax error; where the library reports the very start of the file, the line the error is about.</summary>
    private static int LineOf(YamlException e, string text)
    {
        var reported = (int)e.Start.Line;
        if (e.Start.Index > 0 || reported > 1)
        {
            return reported;
        }
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int? Find(Func<string, bool> predicate) => Array.FindIndex(lines, l => predicate(l)) is var index and >= 0 ? index + 1 : null;
        return e switch
        {
            AnchorNotFoundException when e.Message.Split('\'') is [_, var anchor, ..] => Find(l => l.Contains('*' + anchor, StringComparison.Ordinal)),
            _ when e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) => Find(l => l.TakeWhile(char.IsWhiteSpace).Contains('\t')),
            _ => null,
        } ?? reported;
    }

    /// <summary>Reads the text token by token to where it stops making sense: an unclosed <c>[</c> or <c>{</c>, or the last token read.</summary>
    private static (int Line, string Why) WhereItStops(string text)
    {
        var scanner = new Scanner(new StringReader(text));
        var open = new Stack<(char Bracket, int Line)>();
        var last = 1;
        try
        {
            while (scanner.MoveNext())
            {
                var token = scanner.Current!;
                last = (int)token.Start.Line;
                switch (token)
                {
                    case FlowSequenceStart:
                        open.Push(('[', last));
                        break;
                    case FlowMappingStart:
                        open.Push(('{', last));
                        break;
                    case FlowSequenceEnd or FlowMappingEnd when open.Count > 0:
                        open.Pop();
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // the scanner stops where the parser did
        }
        return open.TryPeek(out var unclosed)
            ? (unclosed.Line, $"the '{unclosed.Bracket}' opened on this line is never closed with '{(unclosed.Bracket == '[' ? ']' : '}')}'.")
            : (last, "the YAML parser stopped here.");
    }
}
