using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sharpflow.Tests;

/// <summary>
/// The README's C# blocks: each one fenced as <c>```csharp</c> is a whole file a user can paste (a program, a flow, a test
/// class) and compiles against Sharpflow's assemblies with the SDK's implicit usings, as in a new project; a block that
/// shows part of a file, or a notebook cell, is fenced as <c>```csharp fragment</c>.
/// </summary>
public partial class ReadmeSnippetTests
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    [Fact]
    public void EveryCompleteCSharpBlockOfTheReadmeCompiles()
    {
        var readme = File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot(), "README.md"));
        var blocks = Fence().Matches(readme).Where(m => m.Groups["info"].Value.Trim().StartsWith("csharp", StringComparison.Ordinal)).ToArray();
        var complete = blocks.Where(m => m.Groups["info"].Value.Trim() == "csharp").ToArray();
        Assert.True(complete.Length >= 4, $"expected the README's complete C# examples (found {complete.Length} of {blocks.Length} C# blocks)");
        Assert.All(blocks.Except(complete), m => Assert.Equal("csharp fragment", m.Groups["info"].Value.Trim()));

        var references = References();
        var usings = CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), ParseOptions, path: "ImplicitUsings.cs");
        var failures = new List<string>();
        foreach (var block in complete)
        {
            var line = readme.AsSpan(0, block.Index).Count('\n') + 1;
            var tree = CSharpSyntaxTree.ParseText(block.Groups["code"].Value, ParseOptions, path: $"README.md, block at line {line}");
            var program = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
            var compilation = CSharpCompilation.Create($"ReadmeBlock{line}", [usings, tree], references,
                new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            using var image = new MemoryStream();
            var errors = compilation.Emit(image).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            if (errors.Length > 0)
            {
                failures.Add($"README.md, the C# block at line {line}:\n  " + string.Join("\n  ", errors.Select(e => e.ToString())));
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    [GeneratedRegex(@"^```(?<info>[^\n]*)\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    /// <summary>The framework's assemblies and every managed assembly next to the tests (Sharpflow's, the examples', xunit's).</summary>
    private static List<MetadataReference> References()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            byName[Path.GetFileName(path)] = path;
        }
        foreach (var path in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            byName.TryAdd(Path.GetFileName(path), path);
        }
        return byName.Values.Where(IsManaged).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }

    private static bool IsManaged(string path)
    {
        using var file = File.OpenRead(path);
        using var reader = new PEReader(file);
        return reader.HasMetadata;
    }
}
