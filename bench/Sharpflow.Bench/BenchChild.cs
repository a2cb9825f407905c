using System.Diagnostics;
using System.Globalization;
using Sharpflow.Bench;

/// <summary>Runs a scenario of this program (<c>child ARGS...</c>), or another program, in a fresh process: cold start, its own peak memory.</summary>
internal static class BenchChild
{
    /// <summary>Runs <c>child ARGS...</c>; returns the numbers of the last line it prints.</summary>
    public static Task<double[]> RunAsync(params string[] arguments) =>
        RunProgramAsync("dotnet", [typeof(WideForeachFlow).Assembly.Location, "child", .. arguments]);

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; returns the numbers of the last line it prints.</summary>
    public static async Task<double[]> RunProgramAsync(string program, params string[] arguments)
    {
        using var child = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = child.StandardError.ReadToEndAsync();
        var output = (await child.StandardOutput.ReadToEndAsync()).Trim().Split('\n')[^1];
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the child process `{program} {string.Join(' ', arguments)}` exited with code {child.ExitCode}:\n{await stderr}");
        }
        return output.Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
    }
}
