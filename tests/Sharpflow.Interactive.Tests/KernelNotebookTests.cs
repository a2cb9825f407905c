using Microsoft.DotNet.Interactive.Events;

namespace Sharpflow.Interactive.Tests;

[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<PackedSharpflow>
{
    public const string Name = "real kernel";
}

/// <summary>The shipped notebooks, cell by cell, in the real kernel with Sharpflow loaded from its package.</summary>
[Collection(KernelCollection.Name)]
public sealed class KernelNotebookTests(PackedSharpflow packed) : IDisposable
{
    private readonly string _previousDirectory = Environment.CurrentDirectory;

    public void Dispose() => Environment.CurrentDirectory = _previousDirectory;

    [Theory]
    [InlineData("01-getting-started.ipynb")]
    [InlineData("02-training-and-resume.ipynb")]
    [InlineData("03-exploring-runs.ipynb")]
    [InlineData("04-cells-as-steps.ipynb")]
    public async Task Explore(string name)
    {
        var notebook = ShippedNotebook.Read(name);
        Environment.CurrentDirectory = Directory.CreateDirectory(Path.Combine(packed.Root, "nb-" + name)).FullName;
        using var kernel = new RealKernel();
        foreach (var cell in notebook.CodeCells)
        {
            var result = await kernel.RunCellAsync(cell);
            Console.WriteLine($"=== {cell}\n{string.Join("\n", result.Events.Select(e => e.GetType().Name))}\n{result.Failure?.Message}\n{string.Join("\n", result.Errors.Select(e => e.Message))}\n{result.Text[..Math.Min(2000, result.Text.Length)]}");
        }
    }
}
