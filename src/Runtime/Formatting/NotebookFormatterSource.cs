using Sharpflow.Client;
using Sharpflow.Graph;

namespace Sharpflow.Formatting;

/// <summary>One formatter as the notebook kernel expects it: a MIME type, the type it formats, and one <c>Format</c> method.</summary>
public sealed class NotebookFormatter
{
    private readonly Func<object, string> _render;

    internal NotebookFormatter(string mimeType, Type type, Func<object, string> render)
    {
        MimeType = mimeType;
        Type = type;
        _render = render;
    }

    /// <summary>The MIME type written.</summary>
    public string MimeType { get; }

    /// <summary>The type formatted.</summary>
    public Type Type { get; }

    /// <summary>Writes <paramref name="value"/>; false when it is not of <see cref="Type"/>.</summary>
    public bool Format(object value, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null || !Type.IsInstanceOfType(value))
        {
            return false;
        }
        writer.Write(_render(value));
        return true;
    }
}

/// <summary>The HTML and plain-text formatters for flows, graphs, runs, steps, tasks, artifacts and cards.</summary>
public sealed class NotebookFormatterSource
{
    /// <summary>Every formatter, for the kernel.</summary>
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new NotebookFormatter("text/html", typeof(Run), v => NotebookViews.Run((Run)v)),
        new NotebookFormatter("text/html", typeof(Step), v => NotebookViews.Step((Step)v)),
        new NotebookFormatter("text/html", typeof(FlowTask), v => NotebookViews.Task((FlowTask)v)),
        new NotebookFormatter("text/html", typeof(DataArtifact), v => NotebookViews.Artifact((DataArtifact)v)),
        new NotebookFormatter("text/html", typeof(FlowGraph), v => NotebookViews.Graph((FlowGraph)v)),
        new NotebookFormatter("text/html", typeof(TaskCardFile), v => NotebookViews.Card((TaskCardFile)v)),
        new NotebookFormatter("text/html", typeof(Flow), v => NotebookViews.Flow((Flow)v)),
        new NotebookFormatter("text/plain", typeof(Run), v => v.ToString() ?? ""),
        new NotebookFormatter("text/plain", typeof(Step), v => v.ToString() ?? ""),
        new NotebookFormatter("text/plain", typeof(FlowTask), v => v.ToString() ?? ""),
        new NotebookFormatter("text/plain", typeof(DataArtifact), v => v.ToString() ?? ""),
        new NotebookFormatter("text/plain", typeof(FlowGraph), v => GraphTextRenderer.Render((FlowGraph)v)),
    ];
}
