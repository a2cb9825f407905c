using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Sharpflow.Tests;

namespace Sharpflow.Interactive.Tests;

/// <summary>A notebook of <c>notebooks/</c>, read with the kernel's own document reader, copied into the test's clone.</summary>
public sealed class ShippedNotebook
{
    private ShippedNotebook(string name, IReadOnlyList<string> codeCells)
    {
        Name = name;
        CodeCells = codeCells;
    }

    /// <summary>The notebook's file name.</summary>
    public string Name { get; }

    /// <summary>The notebook's C# cells, in order.</summary>
    public IReadOnlyList<string> CodeCells { get; }

    /// <summary>Reads <c>notebooks/<paramref name="name"/></c> of this checkout.</summary>
    public static ShippedNotebook Read(string name)
    {
        var document = Notebook.Parse(File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot(), "notebooks", name)));
        return new ShippedNotebook(name, document.Elements.Where(e => e.KernelName is "csharp" or "C#").Select(e => e.Contents).ToArray());
    }

    /// <summary>Every notebook shipped in <c>notebooks/</c>.</summary>
    public static IEnumerable<string> All() =>
        Directory.GetFiles(Path.Combine(ChildProcess.RepositoryRoot(), "notebooks"), "*.ipynb").Select(Path.GetFileName).Order()!;
}
