using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Sharpflow.Interactive.Tests;

/// <summary>What one cell produced.</summary>
public sealed record CellResult(string Code, IReadOnlyList<KernelEvent> Events)
{
    /// <summary>The failure of the cell, or null when it succeeded.</summary>
    public CommandFailed? Failure => Events.OfType<CommandFailed>().FirstOrDefault();

    /// <summary>Errors the kernel reported without failing the cell (an extension script that did not compile, say).</summary>
    public IEnumerable<ErrorProduced> Errors => Events.OfType<ErrorProduced>();

    /// <summary>The HTML of every value the cell displayed or returned (updates included), in order.</summary>
    public IEnumerable<string> Html => Events.OfType<DisplayEvent>()
        .SelectMany(e => e.FormattedValues.Where(v => v.MimeType == HtmlFormatter.MimeType).Select(v => v.Value));

    /// <summary>Everything the cell showed as text: HTML with its tags stripped and entities decoded, plain text, stdout.</summary>
    public string Text => string.Join("\n", Events.SelectMany(e => e switch
    {
        DisplayEvent display => display.FormattedValues.Select(v => v.MimeType == HtmlFormatter.MimeType ? StripTags(v.Value) : v.Value),
        _ => [],
    }));

    /// <summary>The values the cell displayed (not their updates), in order, as HTML.</summary>
    public IReadOnlyList<string> DisplayedHtml => [.. Events.OfType<DisplayedValueProduced>()
        .Select(e => e.FormattedValues.FirstOrDefault(v => v.MimeType == HtmlFormatter.MimeType)?.Value ?? "")];

    /// <summary>
    /// Checks the live view of a run (a magic or a step cell): it is the cell's first display, updated in place (every
    /// update carries its value id) at least once, and its last state names how the run ended. Returns that last state.
    /// </summary>
    public string LiveView()
    {
        var shown = Events.OfType<DisplayedValueProduced>().FirstOrDefault();
        Assert.True(shown is not null, $"No live view in:\n{Code}\n{Text}");
        Assert.True(shown!.FormattedValues.Single(v => v.MimeType == HtmlFormatter.MimeType).Value.Contains("sf-live", StringComparison.Ordinal),
            $"The first value shown is not a live view:\n{Code}\n{Text}");
        var updates = Events.OfType<DisplayedValueUpdated>().ToArray();
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal(shown.ValueId, u.ValueId));
        var last = updates[^1].FormattedValues.Single(v => v.MimeType == HtmlFormatter.MimeType).Value;
        Assert.Matches("· (succeeded|failed|cancelled) ·", System.Net.WebUtility.HtmlDecode(last));
        return last;
    }

    /// <summary>Fails with everything the cell reported unless it succeeded without errors.</summary>
    public CellResult Succeeded()
    {
        Assert.True(Failure is null && !Errors.Any(),
            $"Cell failed:\n{Code}\n---\n{Failure?.Message}\n{Failure?.Exception}\n{string.Join("\n", Errors.Select(e => e.Message))}\n---\n{Text}");
        return this;
    }

    /// <summary>Fails unless the cell failed; returns the failure's message.</summary>
    public string FailedWith()
    {
        Assert.True(Failure is not null, $"Cell was meant to fail but succeeded:\n{Code}\n---\n{Text}");
        return Failure!.Message;
    }

    /// <summary>HTML as the text a reader sees: tags, styles and scripts removed, entities decoded.</summary>
    public static string StripTags(string html)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(html, "<(style|script)[^>]*>.*?</\\1>", "", System.Text.RegularExpressions.RegexOptions.Singleline);
        text = System.Text.RegularExpressions.Regex.Replace(text, "</?(b|i|em|strong|code|span|a)( [^>]*)?>", ""); // inline: no break
        return System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", " "));
    }
}
