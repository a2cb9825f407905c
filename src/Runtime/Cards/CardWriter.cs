using System.Net;
using System.Text;

namespace Sharpflow.Cards;

/// <summary>
/// Builds a card's HTML. <see cref="Text"/> escapes (use it for every value that comes from an artifact, a log or a
/// user string); <see cref="Trusted"/> writes markup produced by Sharpflow or a vetted library; <see cref="Once"/> lets a
/// component include a large resource (a script, a style) a single time per card.
/// </summary>
public sealed class CardWriter
{
    private readonly StringBuilder _html = new();
    private readonly HashSet<string> _included = new(StringComparer.Ordinal);

    /// <summary>Writes text, HTML-escaped.</summary>
    public CardWriter Text(string? text)
    {
        _html.Append(WebUtility.HtmlEncode(text ?? ""));
        return this;
    }

    /// <summary>Writes markup as it is: only for HTML that does not contain user data, or that was escaped already.</summary>
    public CardWriter Trusted(string html)
    {
        _html.Append(html);
        return this;
    }

    /// <summary>Writes an element whose content is escaped text: <c>&lt;tag class="..."&gt;text&lt;/tag&gt;</c>.</summary>
    public CardWriter Element(string tag, string? text, string? cssClass = null)
    {
        _html.Append('<').Append(tag);
        if (cssClass is not null)
        {
            _html.Append(" class=\"").Append(WebUtility.HtmlEncode(cssClass)).Append('"');
        }
        _html.Append('>');
        Text(text);
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Runs <paramref name="write"/> only the first time a card asks for <paramref name="resource"/>.</summary>
    public CardWriter Once(string resource, Action<CardWriter> write)
    {
        if (_included.Add(resource))
        {
            write(this);
        }
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _html.ToString();
}
