using Sharpflow.Interactive;

namespace Sharpflow.Tests;

/// <summary>A notebook output area: records what was shown and every in-place update.</summary>
internal sealed class RecordingDisplay : INotebookDisplay
{
    public List<List<string>> Outputs { get; } = [];

    public IDisplayHandle Display(string html)
    {
        var versions = new List<string> { html };
        lock (Outputs)
        {
            Outputs.Add(versions);
        }
        return new Handle(versions);
    }

    private sealed class Handle(List<string> versions) : IDisplayHandle
    {
        public void Update(string html)
        {
            lock (versions)
            {
                versions.Add(html);
            }
        }
    }
}
