using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Markdig;
using Markdig.Syntax;
using Sharpflow.Artifacts;

namespace Sharpflow.Cards;

/// <summary>Markdown (GitHub-flavoured tables, lists, code); raw HTML in the source is shown as text unless allowed.</summary>
public sealed class Markdown(string source, bool allowHtml = false) : ICardComponent
{
    // No generic-attributes extension (it would let `{onclick=...}` through) and no raw HTML unless asked for.
    private static readonly MarkdownPipeline Safe = new MarkdownPipelineBuilder()
        .UsePipeTables().UseGridTables().UseEmphasisExtras().UseListExtras().UseTaskLists().UseAutoLinks().UseFootnotes().DisableHtml().Build();

    private static readonly MarkdownPipeline WithHtml = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <inheritdoc />
    public void Render(CardWriter writer)
    {
        var pipeline = allowHtml ? WithHtml : Safe;
        var document = Markdig.Markdown.Parse(source ?? "", pipeline);
        if (!allowHtml)
        {
            foreach (var link in document.Descendants<Markdig.Syntax.Inlines.LinkInline>().Where(l => !SafeUrl(l.Url)))
            {
                link.Url = "#"; // javascript: and other script-bearing URLs never reach the card
            }
            foreach (var link in document.Descendants<Markdig.Syntax.Inlines.AutolinkInline>().Where(l => !SafeUrl(l.Url)))
            {
                link.Url = "#";
            }
        }
        writer.Trusted("<div class=\"markdown\">").Trusted(document.ToHtml(pipeline)).Trusted("</div>");
    }

    private static bool SafeUrl(string? url) => url is null
        || !url.Contains(':', StringComparison.Ordinal) && !url.TrimStart().StartsWith("//", StringComparison.Ordinal)
        || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("data:image/png", StringComparison.OrdinalIgnoreCase) || url.StartsWith("data:image/jpeg", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A table: rows of objects (public properties become columns), of dictionaries (keys become columns), of scalars, or a
/// <c>Microsoft.Data.Analysis.DataFrame</c>. Long tables show their first rows and say how many there are.
/// </summary>
public sealed class Table : ICardComponent
{
    private readonly IReadOnlyList<string> _headers;
    private readonly IReadOnlyList<IReadOnlyList<object?>> _rows;
    private readonly int _total;

    /// <summary>A table with explicit headers and rows.</summary>
    public Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows, int maxRows = 100)
    {
        _headers = headers;
        var all = rows.ToList();
        _total = all.Count;
        _rows = all.Take(maxRows).ToArray();
    }

    /// <summary>A table of the first rows of a longer sequence of <paramref name="total"/> rows.</summary>
    internal Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<object?>> firstRows, int total)
    {
        _headers = headers;
        _rows = firstRows;
        _total = Math.Max(total, firstRows.Count);
    }

    /// <summary>A table from any sequence (objects, dictionaries, scalars) or a DataFrame.</summary>
    public static Table From(object data, int maxRows = 100) => TableData.Tabulate(data, maxRows);

    /// <inheritdoc />
    public void Render(CardWriter writer)
    {
        writer.Trusted("<table class=\"data\"><thead><tr>");
        foreach (var header in _headers)
        {
            writer.Element("th", header);
        }
        writer.Trusted("</tr></thead><tbody>");
        foreach (var row in _rows)
        {
            writer.Trusted("<tr>");
            foreach (var cell in row)
            {
                writer.Element("td", Format.Value(cell), cell is IFormattable and not DateTime ? "num" : null);
            }
            writer.Trusted("</tr>");
        }
        writer.Trusted("</tbody></table>");
        if (_total > _rows.Count)
        {
            writer.Element("p", $"Showing {_rows.Count} of {_total} rows.", "note");
        }
    }
}

/// <summary>An image: PNG or JPEG bytes, or SVG markup (shown through an image element, so its scripts never run).</summary>
public sealed class Image : ICardComponent
{
    private readonly string _mime;
    private readonly byte[] _bytes;
    private readonly string? _caption;

    private Image(string mime, byte[] bytes, string? caption)
    {
        _mime = mime;
        _bytes = bytes;
        _caption = caption;
    }

    /// <summary>PNG or JPEG bytes (the type is read from the bytes).</summary>
    public static Image FromBytes(byte[] bytes, string? caption = null) =>
        new(bytes is [0x89, 0x50, 0x4E, 0x47, ..] ? "image/png" : bytes is [0xFF, 0xD8, ..] ? "image/jpeg"
            : throw new ArgumentException("Image bytes are neither PNG nor JPEG."), bytes, caption);

    /// <summary>SVG markup.</summary>
    public static Image FromSvg(string svg, string? caption = null) => new("image/svg+xml", System.Text.Encoding.UTF8.GetBytes(svg), caption);

    /// <inheritdoc />
    public void Render(CardWriter writer)
    {
        writer.Trusted($"<figure><img src=\"data:{_mime};base64,{Convert.ToBase64String(_bytes)}\" alt=\"\"/>");
        if (_caption is not null)
        {
            writer.Element("figcaption", _caption);
        }
        writer.Trusted("</figure>");
    }
}

/// <summary>A readable view of any value: collections as tables, numbers formatted, other values as indented JSON.</summary>
public sealed class ArtifactView(string name, object? value, int maxRows = 50) : ICardComponent
{
    /// <inheritdoc />
    public void Render(CardWriter writer)
    {
        writer.Element("h3", name);
        if (value is not string && value is IEnumerable && TableData.TryTabulate(value, maxRows) is { } table)
        {
            table.Render(writer);
        }
        else
        {
            writer.Element("pre", Format.Pretty(value));
        }
    }
}

/// <summary>A progress bar: <c>value</c> of <c>max</c> with a label.</summary>
public sealed class ProgressBar(double value, double max = 100, string? label = null) : ICardComponent
{
    /// <inheritdoc />
    public void Render(CardWriter writer)
    {
        var share = max <= 0 ? 0 : Math.Clamp(value / max, 0, 1);
        writer.Trusted("<div class=\"progress\">");
        writer.Trusted(string.Create(CultureInfo.InvariantCulture, $"<progress value=\"{value}\" max=\"{max}\"></progress> "));
        writer.Element("span", string.Create(CultureInfo.InvariantCulture, $"{label}{(label is null ? "" : ": ")}{share * 100:0}%"));
        writer.Trusted("</div>");
    }
}

/// <summary>An error: the exception's type, message and stack trace.</summary>
public sealed class ErrorView(string type, string message, string? stackTrace = null) : ICardComponent
{
    /// <summary>An error view of an exception.</summary>
    public static ErrorView Of(Exception exception) => new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace);

    /// <inheritdoc />
    public void Render(CardWriter writer)
    {
        writer.Trusted("<div class=\"error\">").Element("strong", type).Trusted(": ").Text(message);
        if (!string.IsNullOrEmpty(stackTrace))
        {
            writer.Element("pre", stackTrace);
        }
        writer.Trusted("</div>");
    }
}

/// <summary>Readable text for values in cards.</summary>
internal static class Format
{
    public static string Value(object? value, int limit = 200)
    {
        try
        {
            return Unsafe(value, limit);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"(no preview: {e.GetType().Name})"; // one odd value never costs the whole card
        }
    }

    private static string Unsafe(object? value, int limit) => value switch
    {
        null => "null",
        string s => s.Length > limit ? s[..limit] + "…" : s,
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items and not IDictionary => Short(JsonSerializer.Serialize(items.Cast<object?>().Take(5).ToArray(), DataJson.Options), limit - 1) + (items.Cast<object?>().Skip(5).Any() ? "…" : ""),
        _ => Short(JsonSerializer.Serialize(value, value.GetType(), DataJson.Options), limit),
    };

    public static string Pretty(object? value)
    {
        if (value is string s)
        {
            return s.Length > 4000 ? s[..4000] + "…" : s;
        }
        var json = JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), new JsonSerializerOptions(DataJson.Options) { WriteIndented = true });
        return json.Length > 4000 ? json[..4000] + "…" : json;
    }

    private static string Short(string text, int limit) => text.Length > limit ? text[..limit] + "…" : text;
}

/// <summary>Turns sequences into headers and rows.</summary>
internal static class TableData
{
    public static Table Tabulate(object data, int maxRows) =>
        TryTabulate(data, maxRows) ?? throw new ArgumentException($"A {data.GetType().Name} cannot be shown as a table; pass a sequence of rows or a DataFrame.");

    public static Table? TryTabulate(object data, int maxRows)
    {
        if (data.GetType().FullName == "Microsoft.Data.Analysis.DataFrame")
        {
            return FromDataFrame(data, maxRows);
        }
        if (data is not IEnumerable items || data is string)
        {
            return null;
        }
        var rows = items.Cast<object?>().Take(maxRows).ToList();
        var total = items is ICollection collection ? collection.Count
            : data.GetType().GetProperty("Count")?.GetValue(data) is int count ? count
            : rows.Count + items.Cast<object?>().Skip(maxRows).Take(100_000).Count();
        var first = rows.FirstOrDefault(r => r is not null);
        if (first is IDictionary)
        {
            var keys = rows.OfType<IDictionary>().SelectMany(d => d.Keys.Cast<object>().Select(k => k.ToString() ?? "")).Distinct().ToArray();
            return new Table(keys, rows.Select(r => (IReadOnlyList<object?>)keys.Select(k => r is IDictionary d && d.Contains(k) ? d[k] : null).ToArray()).ToArray(), total);
        }
        if (first is null || IsScalar(first.GetType()))
        {
            return new Table(["#", "value"], rows.Select((r, i) => (IReadOnlyList<object?>)[i, r]).ToArray(), total);
        }
        var columns = Columns(first.GetType(), "", depth: 0);
        return new Table(columns.Select(c => c.Name).ToArray(),
            rows.Select(r => (IReadOnlyList<object?>)columns.Select(c => r is null ? null : c.Value(r)).ToArray()).ToArray(), total);
    }

    /// <summary>
    /// A row type's columns: its public properties, a nested record's own properties as <c>Outer.Inner</c> columns (two
    /// levels deep) rather than one cell of JSON; collections and deeper objects stay one cell.
    /// </summary>
    private static List<(string Name, Func<object, object?> Value)> Columns(Type type, string prefix, int depth)
    {
        var columns = new List<(string, Func<object, object?>)>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var kind = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (depth < 2 && !IsScalar(kind) && !typeof(IEnumerable).IsAssignableFrom(kind) && kind != typeof(object) && !kind.IsInterface)
            {
                foreach (var (name, value) in Columns(kind, $"{prefix}{property.Name}.", depth + 1))
                {
                    columns.Add((name, row => property.GetValue(row) is { } inner ? value(inner) : null));
                }
                continue;
            }
            columns.Add(($"{prefix}{property.Name}", property.GetValue));
        }
        return columns;
    }

    private static bool IsScalar(Type type) => type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || type.IsEnum
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);

    /// <summary>A DataFrame by its public shape (Columns with Name; Rows of values), without a compile-time dependency.</summary>
    private static Table FromDataFrame(object frame, int maxRows)
    {
        var columns = ((IEnumerable)frame.GetType().GetProperty("Columns")!.GetValue(frame)!).Cast<object>()
            .Select(c => (string)c.GetType().GetProperty("Name")!.GetValue(c)!).ToArray();
        var frameRows = frame.GetType().GetProperty("Rows")!.GetValue(frame)!;
        var rows = ((IEnumerable)frameRows).Cast<IEnumerable>().Take(maxRows).Select(r => (IReadOnlyList<object?>)r.Cast<object?>().ToArray()).ToArray();
        var count = Convert.ToInt64(frameRows.GetType().GetProperty("Count")!.GetValue(frameRows), CultureInfo.InvariantCulture);
        return new Table(columns, rows, (int)Math.Min(count, int.MaxValue));
    }
}
