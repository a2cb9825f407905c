using System.Text;

namespace Sharpflow.CellFlows;

/// <summary>A parsed magic line (<c>#!flow run ...</c>, <c>#!step train ...</c>): the command, its positional arguments and its <c>--options</c> (repeatable).</summary>
public sealed record MagicLine(string Command, IReadOnlyList<string> Arguments, IReadOnlyList<KeyValuePair<string, string>> Options)
{
    /// <summary>The last value of an option, or null.</summary>
    public string? Option(string name) => Options.LastOrDefault(o => o.Key == name).Value;

    /// <summary>Every value of a repeatable option.</summary>
    public IReadOnlyList<string> All(string name) => Options.Where(o => o.Key == name).Select(o => o.Value).ToArray();

    /// <summary>
    /// Parses <c>#!flow run TrainFlow --lr 0.1 --tag a --tag b</c> (the leading <c>#!flow</c> is optional, and
    /// <c>#!flow-run</c> is the same as <c>#!flow run</c>). Values may be
    /// quoted; an option without a value (followed by another option or the end) is the flag value <c>true</c>.
    /// </summary>
    public static MagicLine Parse(string line)
    {
        var tokens = Tokenize(line);
        if (tokens.Count > 0 && tokens[0] == "#!flow")
        {
            tokens.RemoveAt(0);
        }
        else if (tokens.Count > 0 && tokens[0].StartsWith("#!flow-", StringComparison.Ordinal))
        {
            tokens[0] = tokens[0]["#!flow-".Length..]; // the kernel's spelling: #!flow-run is #!flow run
        }
        if (tokens.Count == 0)
        {
            throw new ArgumentException("Usage: #!flow <run|resume|spin|show|runs|card|logs> ... (#!flow help lists them).");
        }
        var arguments = new List<string>();
        var options = new List<KeyValuePair<string, string>>();
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].StartsWith("--", StringComparison.Ordinal) && tokens[i].Length > 2)
            {
                var hasValue = i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal);
                options.Add(KeyValuePair.Create(tokens[i][2..], hasValue ? tokens[++i] : "true"));
            }
            else
            {
                arguments.Add(tokens[i]);
            }
        }
        return new MagicLine(tokens[0], arguments, options);
    }

    private static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var inToken = false;
        foreach (var c in line.Trim())
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }
        if (quote is not null)
        {
            throw new ArgumentException($"Unclosed quote in: {line}");
        }
        if (inToken)
        {
            tokens.Add(current.ToString());
        }
        return tokens;
    }
}
