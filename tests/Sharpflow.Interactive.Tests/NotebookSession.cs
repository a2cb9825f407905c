using Sharpflow.Testing;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// A fresh real kernel for one notebook, working in its own folder beside the packed <c>artifacts/packages</c> (so a
/// notebook's relative paths and its <c>.sharpflow</c> datastore are its own). Restores the previous working directory
/// when disposed.
/// </summary>
public sealed class NotebookSession : IDisposable
{
    private readonly string _previousDirectory = Environment.CurrentDirectory;

    private NotebookSession(string folder)
    {
        Folder = folder;
        Environment.CurrentDirectory = folder;
        Kernel = new RealKernel();
    }

    /// <summary>The notebook's folder (the kernel's working directory).</summary>
    public string Folder { get; }

    /// <summary>The kernel.</summary>
    public RealKernel Kernel { get; }

    /// <summary>A kernel in a new folder named after <paramref name="name"/>, nothing loaded yet.</summary>
    public static NotebookSession Open(PackedSharpflow packed, string name) =>
        new(Directory.CreateDirectory(Path.Combine(packed.Root, Path.GetFileNameWithoutExtension(name))).FullName);

    /// <summary>A kernel with Sharpflow loaded the way every shipped notebook loads it (its first two cells).</summary>
    public static async Task<NotebookSession> WithSharpflowAsync(PackedSharpflow packed, string name)
    {
        var session = Open(packed, name);
        foreach (var cell in ShippedNotebook.Read("01-getting-started.ipynb").Cells.Take(2))
        {
            (await session.RunAsync(cell.Code)).Succeeded();
        }
        return session;
    }

    /// <summary>Runs one cell.</summary>
    public async Task<CellResult> RunAsync(string code) => new(code, await Kernel.SubmitAsync(code));

    public void Dispose()
    {
        Kernel.Dispose();
        Environment.CurrentDirectory = _previousDirectory;
    }
}
