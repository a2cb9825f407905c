using System.Diagnostics;
using System.Globalization;
using Sharpflow.Bench;

/// <summary>Runs a scenario of this program (<c>child ARGS...</c>) in a fresh process: cold start, its own peak memory.</summary>
internal static class BenchChild
{
    /// <summary>Runs <c>child ARGS...</c>; returns the numbers of the last line it prints.</summary>
    public static async Task<double[]> RunAsync(params string[] arguments)
    {
        using var child = Process.Start(new ProcessStartInfo("dotnet", [typeof(WideForeachFlow).Assembly.Location, "child", .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = child.StandardError.ReadToEndAsync();
        var output = (await child.StandardOutput.ReadToEndAsync()).Trim().Split('\n')[^1];
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the child process `child {string.Join(' ', arguments)}` exited with code {child.ExitCode}:\n{await stderr}");
        }
        return output.Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
    }
}
