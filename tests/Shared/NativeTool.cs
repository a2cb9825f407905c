namespace Sharpflow.Tests;

/// <summary>
/// Builds of the <c>sharpflow</c> tool's native (AOT) linux-x64 program, as its package ships it. Both test assemblies
/// make one (the tool tests publish it, the kernel tests pack it) into the same intermediate folder, so every such build
/// on this machine waits on one lock file (<c>flock</c>) instead of racing.
/// </summary>
public static class NativeTool
{
    public const string RuntimeIdentifier = "linux-x64";
    private const string MachineLock = "/tmp/sharpflow-tests-native-tool.lock";

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> (in the repository: a publish or pack that builds src/Cli for linux-x64) under the machine-wide lock.</summary>
    public static Task<ChildProcess.Result> DotnetAsync(params string[] arguments) => DotnetInAsync(ChildProcess.RepositoryRoot(), arguments);

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="folder"/> under the machine-wide lock: a native publish of any program.</summary>
    public static async Task<ChildProcess.Result> DotnetInAsync(string folder, params string[] arguments)
    {
        // Native AOT links with the system's C toolchain.
        await SystemPackages.EnsureAsync("Native builds of the sharpflow tool", ["gcc", "objcopy"], "gcc", "binutils", "zlib1g-dev");
        return await ChildProcess.RunAsync("flock", folder, null, TimeSpan.FromMinutes(15), [MachineLock, "dotnet", .. arguments]);
    }

    /// <summary>Publishes the native program into <paramref name="folder"/> and returns its path.</summary>
    public static async Task<string> PublishAsync(string folder)
    {
        var publish = await DotnetAsync("publish", Path.Combine(ChildProcess.RepositoryRoot(), "src", "Cli"), "-c", ChildProcess.BuildConfiguration,
            "-r", RuntimeIdentifier, "-o", folder);
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"The native publish of the sharpflow tool failed (exit code {publish.ExitCode}):\n{publish.Stdout}\n{publish.Stderr}");
        }
        return Path.Combine(folder, "Sharpflow.Cli");
    }
}
