using System.Diagnostics;
using static BenchFigures;

/// <summary>
/// The scale targets: a 10,000-way foreach and its join, a cold client listing that run, a 4-step flow's process CPU
/// (as a NativeAOT program and on the JIT), 100 MB byte[] and float[] artifacts against a raw write+read of the same
/// bytes, and (when asked) a 100,000-way foreach.
/// </summary>
internal static class ScaleFigures
{
    public static async Task ReportAsync(string root, int repetitions, bool hundredThousand)
    {
        // A 10,000-way foreach of trivial tasks and a join that sums one int per input, each repetition a cold process.
        var walls = new List<double>();
        var peaks = new List<double>();
        var joins = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var line = await BenchChild.RunAsync("foreach", Path.Combine(root, $"wide10k-{i}"), "10000");
            walls.Add(line[0]);
            peaks.Add(line[1] / (1 << 20));
            joins.Add(line[2]);
        }
        Report("10,000-way foreach + join, wall time (cold process)", Median(walls), 5000, "ms");
        Report("10,000-way foreach + join, peak working set", Median(peaks), 300, "MB");
        Report("join task over 10,000 inputs (one int from each)", Median(joins), 500, "ms");

        // A cold client lists that run and loads one artifact per task.
        var listings = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            listings.Add((await BenchChild.RunAsync("list", Path.Combine(root, "wide10k-0")))[0]);
        }
        Report("cold client: list 10,000 tasks + load one artifact each", Median(listings), 1000, "ms");

        // A 4-step flow through its CLI: the process's CPU time, as a NativeAOT program (the target) and on the JIT.
        var native = await NativeFourStepAsync(root);
        var nativeCpu = new List<double>();
        var nativeIdle = new List<double>();
        var cpu = new List<double>();
        var idle = new List<double>();
        for (var i = 0; i < Math.Max(5, repetitions); i++)
        {
            nativeCpu.Add((await BenchChild.RunProgramAsync(native, "run", "--datastore", Path.Combine(root, "four-native"), "--quiet"))[0]);
            nativeIdle.Add((await BenchChild.RunProgramAsync(native, "idle"))[0]);
            cpu.Add((await BenchChild.RunAsync("cli", Path.Combine(root, "four")))[0]);
            idle.Add((await BenchChild.RunAsync("idle"))[0]);
        }
        Report("4-step flow, NativeAOT program, process CPU time", Median(nativeCpu), 100, "ms");
        Console.WriteLine($"  the same native program started and ended without a flow (baseline)  {Median(nativeIdle),8:F1} ms; the flow's own share {Median(nativeCpu) - Median(nativeIdle):F1} ms");
        Console.WriteLine($"  the same flow on the JIT (framework-dependent build), process CPU time  {Median(cpu),8:F1} ms ({Median(cpu) / Median(nativeCpu):F2}x the native program)");
        Console.WriteLine($"  the JIT program started and ended without a flow (baseline)  {Median(idle),8:F1} ms; the flow's own share {Median(cpu) - Median(idle):F1} ms");
        var show = new List<double>();
        for (var i = 0; i < Math.Max(5, repetitions); i++)
        {
            show.Add((await BenchChild.RunAsync("show"))[0]);
        }
        Console.WriteLine($"  `show` (the graph, no run read) through the same CLI, process CPU time  {Median(show),8:F1} ms");

        // 100 MB artifacts: save + load through the artifact store against a raw write + read of the same bytes.
        await PayloadFigures.ReportAsync(root, Math.Max(5, repetitions), bytes: true);
        await PayloadFigures.ReportAsync(root, Math.Max(5, repetitions), bytes: false);

        if (hundredThousand)
        {
            var line = await BenchChild.RunAsync("foreach", Path.Combine(root, "wide100k"), "100000");
            Report("100,000-way foreach + join, wall time (cold process)", line[0], 60_000, "ms");
            Report("100,000-way foreach + join, peak working set", line[1] / (1 << 20), 1024, "MB");
            Report("join task over 100,000 inputs", line[2], 5000, "ms");
        }
    }

    /// <summary>Publishes bench/Sharpflow.NativeBench (the 4-step flow) natively into the bench's folder; returns the program's path.</summary>
    private static async Task<string> NativeFourStepAsync(string root)
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "Interactive.sln")))
        {
            repository = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(repository))
                ?? throw new InvalidOperationException($"The bench runs from its build output in the repository; no Interactive.sln above {AppContext.BaseDirectory}.");
        }
        var output = Path.Combine(root, "native-four-step");
        Console.WriteLine("  (publishing bench/Sharpflow.NativeBench natively: about a minute)");
        using var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(repository, "bench", "Sharpflow.NativeBench"), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "q"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"The native publish of bench/Sharpflow.NativeBench failed (exit code {publish.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        return Path.Combine(output, "Sharpflow.NativeBench");
    }
}
