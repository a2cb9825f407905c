using System.IO.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sharpflow.Interactive;

namespace Sharpflow.Tests;

/// <summary>The extension's .dib glue compiles against the kernel API it uses, and the package carries it where the kernel looks.</summary>
public class NotebookGlueTests
{
    private static string Repo => ChildProcess.RepositoryRoot();

    [Fact]
    public void TheDibGlueCompilesAgainstTheKernelApiFacade()
    {
        var dib = File.ReadAllText(Path.Combine(Repo, "kernel-extension", "extension.dib"));
        var csharp = dib[(dib.IndexOf("#!csharp", StringComparison.Ordinal) + "#!csharp".Length)..];
        var facade = CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(Repo, "tests", "Sharpflow.Tests", "KernelFacade", "KernelApi.cs.txt")));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(FlowSpec).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(FlowMagics).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Sharpflow.CellFlows.FlowCellParser).Assembly.Location))
            .ToArray();
        var facadeCompilation = CSharpCompilation.Create("KernelFacade", [facade], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var facadeImage = new MemoryStream();
        Assert.True(facadeCompilation.Emit(facadeImage).Success, "the facade compiles");

        var glue = CSharpCompilation.CreateScriptCompilation("Glue",
            CSharpSyntaxTree.ParseText(csharp, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script)),
            [.. references, MetadataReference.CreateFromImage(facadeImage.ToArray())],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: ["System", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks"]));
        var errors = glue.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();

        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
    }

    [Fact]
    public async Task ThePackageCarriesTheLibraryAndTheDibWhereTheKernelLooks()
    {
        using var store = new TempDatastore();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        // The README's pack command: the extension and the Sharpflow packages it depends on.
        foreach (var project in new[] { "src/Runtime", "src/Cards.Plotly", "src/CellFlows", "kernel-extension" })
        {
            var pack = await ChildProcess.DotnetAsync(Repo, null, "pack", Path.Combine(Repo, project), "--no-build", "-c", configuration, "-o", store.Root);
            Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);
        }

        var package = Directory.GetFiles(store.Root, "Sharpflow.Interactive.*.nupkg").Single();
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToArray();
        Assert.Contains("interactive-extensions/dotnet/extension.dib", entries);
        Assert.Contains(entries, e => e.StartsWith("lib/net10.0/Sharpflow.Interactive.dll", StringComparison.Ordinal));
        // Every Sharpflow package it depends on is in the same folder, so `#r "nuget: Sharpflow.Interactive"` restores.
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var dependencies = System.Text.RegularExpressions.Regex.Matches(nuspec.ReadToEnd(), "<dependency id=\"(Sharpflow[^\"]*)\" version=\"([^\"]+)\"")
            .Select(m => $"{m.Groups[1].Value}.{m.Groups[2].Value}.nupkg").ToArray();
        Assert.Contains("Sharpflow.CellFlows.1.0.0.nupkg", dependencies);
        Assert.All(dependencies, d => Assert.True(File.Exists(Path.Combine(store.Root, d)), $"{d} is not packed next to Sharpflow.Interactive"));
    }
}
