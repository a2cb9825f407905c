using System.Diagnostics;

namespace Sharpflow.Tests;

/// <summary>
/// Real headless Chromium (Debian's package) with the network cut off: renders a page, runs its scripts, and returns
/// the resulting DOM or a screenshot. Installs the package when it is missing and the tests run as root (as CI does).
/// </summary>
public static class Chromium
{
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
        if (File.Exists("/usr/bin/chromium-browser"))
        {
            return "/usr/bin/chromium-browser";
        }
        await SystemPackages.EnsureAsync("The card tests (headless Chromium)", ["/usr/bin/chromium"], "chromium");
        return "/usr/bin/chromium";
    }
}
