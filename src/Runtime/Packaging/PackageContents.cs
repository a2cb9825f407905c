namespace Sharpflow.Packaging;

/// <summary>
/// Which files of a flow's application go into its code package: everything, except debug symbols of other assemblies
/// than the flow's own (<c>SHARPFLOW_PACKAGE_SYMBOLS=1</c> keeps them all) and native assets for platforms no worker
/// runs on. Workers run on Linux (Slurm nodes, Kubernetes pods, SSH hosts): by default the package keeps
/// <see cref="DefaultRuntimes"/>; <c>SHARPFLOW_PACKAGE_RUNTIMES=win-x64,linux-x64</c> names others, <c>all</c> keeps every one.
/// </summary>
public static class PackageContents
{
    /// <summary>The variable that names the runtime identifiers a package carries native assets for.</summary>
    public const string RuntimesVariable = "SHARPFLOW_PACKAGE_RUNTIMES";

    /// <summary>The variable that keeps every <c>.pdb</c> in packages when set to 1.</summary>
    public const string SymbolsVariable = "SHARPFLOW_PACKAGE_SYMBOLS";

    /// <summary>The platforms workers run on unless told otherwise: Linux on x64 and Arm64, glibc and musl (Alpine images).</summary>
    public static IReadOnlyList<string> DefaultRuntimes { get; } = ["linux-x64", "linux-arm64", "linux-musl-x64", "linux-musl-arm64"];

    /// <summary>The runtime identifiers this process's packages carry native assets for, or null for all of them.</summary>
    public static IReadOnlyList<string>? Runtimes()
    {
        var configured = Environment.GetEnvironmentVariable(RuntimesVariable);
        if (string.IsNullOrWhiteSpace(configured))
        {
            return DefaultRuntimes;
        }
        return configured.Trim().Equals("all", StringComparison.OrdinalIgnoreCase) ? null
            : [.. configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>Whether the file at <paramref name="path"/> (relative to the application, with <c>/</c>) goes into the package of <paramref name="entryAssembly"/>.</summary>
    public static bool Keeps(string path, string entryAssembly, IReadOnlyList<string>? runtimes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entryAssembly);
        if (path.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase))
        {
            return Environment.GetEnvironmentVariable(SymbolsVariable) == "1"
                || string.Equals(Path.GetFileNameWithoutExtension(path), Path.GetFileNameWithoutExtension(entryAssembly), StringComparison.OrdinalIgnoreCase); // the flow's own frames keep their lines
        }
        if (runtimes is null || !path.StartsWith("runtimes/", StringComparison.Ordinal))
        {
            return true;
        }
        var rid = path.Split('/')[1];
        return runtimes.Any(target => Family(target).Contains(rid, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>A runtime identifier and the more general ones whose assets it uses (<c>linux-musl-x64</c>: linux-musl, linux, unix, any).</summary>
    private static IEnumerable<string> Family(string rid)
    {
        yield return rid;
        var os = rid.LastIndexOf('-') is var dash and > 0 ? rid[..dash] : rid;
        if (os != rid)
        {
            yield return os;
        }
        if (os.StartsWith("linux-", StringComparison.Ordinal))
        {
            yield return "linux";
        }
        if (!os.StartsWith("win", StringComparison.Ordinal))
        {
            yield return "unix";
        }
        yield return "any";
    }
}
