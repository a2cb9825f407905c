using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Sharpflow.Tests;

namespace Sharpflow.Interactive.Tests;

/// <summary>A notebook of <c>notebooks/</c>, read with the kernel's own document reader.</summary>
public sealed class ShippedNotebook
{
    /// <summary>The Jupyter tag of a cell that is meant to fail (nbconvert and nbclient go on past it).</summary>
    public const string RaisesException = "raises-exception";

    private ShippedNotebook(string name, IReadOnlyList<NotebookCell> cells)
    {
        Name = name;
        Cells = cells;
    }

    /// <summary>The notebook's file name.</summary>
    public string Name { get; }

    /// <summary>The notebook's C# cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The notebooks' folder of this checkout.</summary>
    public static string Folder => Path.Combine(ChildProcess.RepositoryRoot(), "notebooks");

    /// <summary>Reads <c>notebooks/<paramref name="name"/></c> of this checkout.</summary>
    public static ShippedNotebook Read(string name)
    {
        var document = Notebook.Parse(File.ReadAllText(Path.Combine(Folder, name)));
        return new ShippedNotebook(name, document.Elements.Where(e => e.KernelName is "csharp" or "C#")
            .Select(e => new NotebookCell(e.Id ?? "", e.Contents, Tags(e).Contains(RaisesException))).ToArray());
    }

    /// <summary>Every notebook shipped in <c>notebooks/</c>.</summary>
    public static TheoryData<string> All() => [.. Directory.GetFiles(Folder, "*.ipynb").Select(p => Path.GetFileName(p)).Order()];

    private static IEnumerable<string> Tags(InteractiveDocumentElement element) =>
        element.Metadata?.TryGetValue("tags", out var tags) == true ? tags switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(t => t.GetString() ?? ""),
            System.Collections.IEnumerable list and not string => list.Cast<object>().Select(t => t?.ToString() ?? ""),
            _ => throw new InvalidDataException($"Cell {element.Id}: tags of type {tags?.GetType()}"),
        } : [];
}

/// <summary>One C# cell of a notebook.</summary>
public sealed record NotebookCell(string Id, string Code, bool MeantToFail);
