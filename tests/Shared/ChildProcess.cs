using System.Diagnostics;

namespace Sharpflow.Tests;

/// <summary>Runs a real child process to completion and captures what it printed.</summary>
public static class ChildProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>The test-flows program (flows that tests kill, isolate and resume as real processes).</summary>
    public static string TestFlowsDll => Path.Combine(AppContext.BaseDirectory, "Sharpflow.TestFlows.dll");

    /// <summary>Runs <c>dotnet</c> with the arguments in <paramref name="workingDirectory"/>.</summary>
    public static Task<Result> DotnetAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunAsync("dotnet", workingDirectory, environment, arguments);

    /// <summary>
    /// Runs <c>dotnet</c> for a file-based app that references the checkout's projects (<c>#:project</c>): the build of
    /// those projects' Debug output is shared by every such test on this machine, so they wait on one lock file
    /// (<c>flock</c>) instead of building it at the same time.
    /// </summary>
    public static Task<Result> DotnetBuildingCheckoutAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunAsync("flock", workingDirectory, environment, TimeSpan.FromMinutes(5), ["/tmp/sharpflow-tests-checkout-build.lock", "dotnet", .. arguments]);

    /// <summary>Runs <paramref name="program"/> with the arguments in <paramref name="workingDirectory"/>; killed (and its output reported) after 3 minutes.</summary>
    public static Task<Result> RunAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunAsync(program, workingDirectory, environment, TimeSpan.FromMinutes(3), arguments);

    /// <summary>Runs <paramref name="program"/> with the arguments; killed (and its output reported) after <paramref name="limit"/>.</summary>
    public static Task<Result> RunAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan limit, params string[] arguments) =>
        RunAsync(program, workingDirectory, environment, limit, CancellationToken.None, arguments);

    /// <summary>
    /// Runs <paramref name="program"/> with the arguments; killed (and its output reported) after <paramref name="limit"/>,
    /// and killed with its children when <paramref name="stop"/> fires (the result then says exit code 137, as for SIGKILL).
    /// </summary>
    public static async Task<Result> RunAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan limit, CancellationToken stop, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stop);
        try
        {
            await process.WaitForExitAsync(either.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Result(137, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            // Kill it and report what it printed, so a hang can be diagnosed from the test output.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"`{program} {string.Join(' ', arguments)}` did not exit within {limit.TotalMinutes} minutes.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Installs a test tool folder's locked npm packages (`npm ci`) unless <paramref name="package"/> is already there.
    /// Test classes sharing a folder wait for one install: a second `npm ci` would empty node_modules under the first's users.
    /// </summary>
    public static async Task EnsureNpmPackagesAsync(string folder, string package)
    {
        var gate = NpmInstalls.GetOrAdd(Path.GetFullPath(folder), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", package)))
            {
                var install = await RunAsync("npm", folder, null, TimeSpan.FromMinutes(10), "ci", "--no-audit", "--no-fund");
                Assert.True(install.ExitCode == 0, $"npm ci in {folder} failed:\n{install.Stdout}\n{install.Stderr}");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> NpmInstalls = new(StringComparer.Ordinal);

    /// <summary>The build configuration the tests were built in (Release or Debug), for building or packing alongside them.</summary>
    public static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The repository root (the folder holding Interactive.sln), found from the test assembly's location.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Interactive.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Interactive.sln) above " + AppContext.BaseDirectory);
    }
}
