using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// The packages ship their assemblies precompiled (ReadyToRun: native code for the platform that built them, so a flow
/// program, the kernel and the language server start without JIT-compiling them) and with their IL and metadata intact
/// (other platforms JIT-compile it; reflection, the step-code hash and debugging read it).
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class PrecompiledPackageTests(PackedSharpflow packed)
{
    [Theory]
    [InlineData("Sharpflow", "lib/net10.0/Sharpflow.dll")]
    [InlineData("Sharpflow.S3", "lib/net10.0/Sharpflow.S3.dll")]
    [InlineData("Sharpflow.CellFlows", "lib/net10.0/Sharpflow.CellFlows.dll")]
    [InlineData("Sharpflow.Interactive", "lib/net10.0/Sharpflow.Interactive.dll")]
    public void ThePackagedAssemblyIsPrecompiledAndKeepsItsIl(string package, string entry)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(packed.Packages, $"{package}.{packed.Version}.nupkg"));
        var file = zip.GetEntry(entry) ?? throw new InvalidOperationException($"{package} has no {entry}: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var image = new MemoryStream();
        using (var stream = file.Open())
        {
            stream.CopyTo(image);
        }
        image.Position = 0;
        using var pe = new PEReader(image);
        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{package}'s {entry} has no ReadyToRun header: it was packed as IL only");

        var metadata = pe.GetMetadataReader();
        var bodies = metadata.MethodDefinitions.Select(metadata.GetMethodDefinition).Where(m => m.RelativeVirtualAddress != 0).ToList();
        Assert.NotEmpty(bodies);
        Assert.All(bodies.Take(50), m => Assert.True(pe.GetMethodBody(m.RelativeVirtualAddress).GetILBytes()!.Length > 0));

        // Compilers and editors get the IL-only reference assembly with its doc comments (ref/): a native image in
        // lib/ alone makes a build for a runtime identifier warn that the assembly targets a different processor (CS8012).
        var reference = entry.Replace("lib/", "ref/", StringComparison.Ordinal);
        using var referenceImage = new MemoryStream();
        using (var stream = (zip.GetEntry(reference) ?? throw new InvalidOperationException($"{package} has no {reference}")).Open())
        {
            stream.CopyTo(referenceImage);
        }
        referenceImage.Position = 0;
        using var referencePe = new PEReader(referenceImage);
        Assert.Equal(0, referencePe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size);
        Assert.Equal(Machine.I386, referencePe.PEHeaders.CoffHeader.Machine); // AnyCPU
        Assert.Equal(PublicTypes(metadata), PublicTypes(referencePe.GetMetadataReader()));
        Assert.NotNull(zip.GetEntry(Path.ChangeExtension(reference, ".xml")));
    }

    private static SortedSet<string> PublicTypes(MetadataReader metadata) => new(
        metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
            .Where(t => (t.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public)
            .Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}"), StringComparer.Ordinal);
}
