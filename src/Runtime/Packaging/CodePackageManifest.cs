namespace Sharpflow.Packaging;

/// <summary>One file of a code package: its path inside the package, size and XXH128 content hash (hex).</summary>
public sealed record PackageFile(string Path, long Size, string Hash);

/// <summary>
/// What a code package holds and what it was built for: the flow, its entry assembly (run as <c>dotnet Entry.dll
/// [Arguments] step ...</c> by a worker), its steps, the runtime and .NET versions, and every file with its hash. <see cref="Hash"/>
/// identifies the package: the same code gives the same hash, so it is stored once.
/// </summary>
public sealed record CodePackageManifest(
    string Flow,
    string Hash,
    string EntryAssembly,
    IReadOnlyList<string> Steps,
    string RuntimeVersion,
    string DotnetVersion,
    IReadOnlyList<PackageFile> Files)
{
    /// <summary>Arguments the entry assembly takes before the flow's own (for the generic worker: the flow's assembly and type).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The package's total size, in bytes (uncompressed).</summary>
    public long Size => Files.Sum(f => f.Size);
}
