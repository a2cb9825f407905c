using Sharpflow.Tests;

namespace Sharpflow.Interactive.Tests;

/// <summary>
/// Sharpflow's packages, packed from this checkout's build output into a private folder laid out like a clone after
/// the README's pack command (<c>artifacts/packages</c> beside <c>notebooks/</c>), under a version no other run uses:
/// the kernel and NuGet cache restores by name and version, so a reused version would load stale assemblies.
/// </summary>
public sealed class PackedSharpflow : IAsyncLifetime
{
    private static readonly string[] PackageIds = ["Sharpflow", "Sharpflow.Cards.Plotly", "Sharpflow.CellFlows", "Sharpflow.Interactive", "Sharpflow.S3", "Sharpflow.Slurm", "Sharpflow.Ssh", "Sharpflow.Kubernetes", "Sharpflow.Argo", "Sharpflow.Cli", "Sharpflow.Cli.any", "Sharpflow.Cli.linux-x64", "Sharpflow.Templates"];

    /// <summary>The folder that plays the clone: <c>artifacts/packages</c> and <c>notebooks</c> go here.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("sharpflow-kernel-").FullName;

    /// <summary>The packed packages' folder.</summary>
    public string Packages => Path.Combine(Root, "artifacts", "packages");

    /// <summary>The version every package was packed as.</summary>
    public string Version { get; } = $"1.0.0-kerneltest.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public async Task InitializeAsync()
    {
        var repository = ChildProcess.RepositoryRoot();
        var configuration = ChildProcess.BuildConfiguration;
        // The README's pack command, on the build the test run has just made.
        // It makes the sharpflow tool's native linux-x64 package too, so it waits its turn for the tool's native build.
        var pack = await NativeTool.DotnetAsync("pack", "Sharpflow.Packages.slnf", "--no-build", "-c", configuration,
            "-o", Packages, $"-p:VersionSuffix={Version["1.0.0-".Length..]}");
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{pack.Stdout}\n{pack.Stderr}");
        foreach (var id in PackageIds)
        {
            Assert.True(File.Exists(Path.Combine(Packages, $"{id}.{Version}.nupkg")), $"{id} {Version} was not packed:\n{pack.Stdout}");
        }
    }

    public Task DisposeAsync()
    {
        // Our own package versions only: the restores extracted them into the NuGet cache.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            var extracted = Path.Combine(cache, id.ToLowerInvariant(), Version);
            if (Directory.Exists(extracted))
            {
                Directory.Delete(extracted, recursive: true);
            }
        }
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
