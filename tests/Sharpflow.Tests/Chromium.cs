using System.Diagnostics;

namespace Sharpflow.Tests;

/// <summary>
/// Real headless Chromium (Debian's package) with the network cut off: renders a page, runs its scripts, and returns
/// the resulting DOM or a screenshot. Installs the package when it is missing and the tests run as root (as CI does).
/// </summary>
public static class Chromium
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static string? _executable;

    private static readonly string[] Flags =
    [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000",
    ];

    /// <summary>The DOM after the page's scripts ran.</summary>
    public static async Task<string> DumpDomAsync(string htmlFile) =>
        (await RunAsync(["--dump-dom", new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri])).Stdout;

    /// <summary>A PNG screenshot of the page.</summary>
    public static async Task ScreenshotAsync(string htmlFile, string pngFile, int width, int height)
    {
        var result = await RunAsync([$"--screenshot={Path.GetFullPath(pngFile)}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri]);
        Assert.True(File.Exists(pngFile), "Chromium wrote no screenshot: " + result.Stderr);
    }

    private static async Task<ChildProcess.Result> RunAsync(string[] arguments)
    {
        var executable = await ExecutableAsync();
        var profile = Path.Combine(Path.GetTempPath(), "sharpflow-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Flags.Append($"--user-data-dir={profile}").Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        try
        {
            Directory.Delete(profile, true);
        }
        catch (IOException)
        {
            // Chromium may still be closing a file in its profile; the temp folder is cleaned by the OS
        }
        return new ChildProcess.Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The Chromium executable (installed first when missing and the tests run as root).</summary>
    public static async Task<string> ExecutableAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (_executable is not null)
            {
                return _executable;
            }
            var found = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
            if (found is null && Environment.UserName == "root")
            {
                await Shell("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium");
                found = new[] { "/usr/bin/chromium" }.FirstOrDefault(File.Exists);
            }
            return _executable = found ?? throw new InvalidOperationException(
                "Headless Chromium is needed for the card tests: install Debian's package with `apt-get install chromium` (CI's .ci/run does).");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task Shell(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]))!;
        await process.WaitForExitAsync();
    }
}
