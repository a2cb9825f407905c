using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sharpflow.Artifacts;
using Sharpflow.CellFlows;

namespace Sharpflow.Tests;

/// <summary>Names shown to people: artifact types as C# spells them, package versions as NuGet spells them.</summary>
public class TypeNameTests
{
    [Theory]
    [InlineData(typeof(Dictionary<string, List<int>>), "Dictionary<string, List<int>>")]
    [InlineData(typeof(List<KeyValuePair<string, double>>[]), "List<KeyValuePair<string, double>>[]")]
    [InlineData(typeof(int[,]), "int[,]")]
    [InlineData(typeof(Environment.SpecialFolder), "SpecialFolder")]
    public void StoredTypeNamesReadAsCSharp(Type type, string expected) => Assert.Equal(expected, TypeNames.Friendly(TypeNames.Of(type)));

    [Fact]
    public void ATypeNoLoadedAssemblyHasStillReadsAsCSharp() =>
        Assert.Equal("Dictionary<string, Score>",
            TypeNames.Friendly("System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[Notebook.Score, Sharpflow.Cells.Spam.3]], System.Private.CoreLib"));

    [Fact]
    public void AnExportedFlowNamesThePrereleaseTheRuntimeWasPackedAs()
    {
        var compilation = CSharpCompilation.Create("Packed",
            [CSharpSyntaxTree.ParseText("[assembly: System.Reflection.AssemblyInformationalVersion(\"1.0.1-local.42+0123abcd\")]")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(compilation.Emit(image).Success);
        var assembly = System.Reflection.Assembly.Load(image.ToArray());

        Assert.Equal("1.0.1-local.42", CellFlowExporter.PackageVersion(assembly));
    }
}
