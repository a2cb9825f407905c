using System.Diagnostics;
using Sharpflow.Client;
using static BenchFigures;

namespace Sharpflow.Bench;

/// <summary>
/// Incremental runs (issue 20): TrainFlow built and run once, then, each repetition, its PickBest step edited, the
/// project built again and run with <c>--reuse</c> from the built binary. The run must reuse Start and the 6 Fit tasks;
/// its own time (record created to finished) is measured against PickBest's and End's task times plus 150 ms.
/// </summary>
internal static class ReuseFigures
{
    private const string Edited = "    public void PickBest(Inputs<TrainFlow> inputs)\n    {\n";

    public static async Task ReportAsync(string repository, int repetitions)
    {
        // A copy beside the example (so its relative project reference holds), never in git (.gitignore: examples/.bench-*).
        var work = Path.Combine(repository, "examples", ".bench-reuse-TrainFlow");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, true);
        }
        Directory.CreateDirectory(work);
        foreach (var file in Directory.GetFiles(Path.Combine(repository, "examples", "TrainFlow")).Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
        }
        var flowFile = Path.Combine(work, "TrainFlow.cs");
        var original = File.ReadAllText(flowFile);
        if (!original.Contains(Edited, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("TrainFlow.cs no longer has the PickBest declaration this benchmark edits.");
        }
        var datastore = Path.Combine(work, ".sharpflow");
        try
        {
            await DotnetAsync(work, "build", "-c", "Release", "-v", "q");
            await DotnetAsync(work, Path.Combine("bin", "Release", "net10.0", "TrainFlow.dll"), "run", "--datastore", datastore, "--quiet");
            var totals = new List<double>();
            var overheads = new List<double>();
            var processes = new List<double>();
            for (var i = 0; i < repetitions; i++)
            {
                File.WriteAllText(flowFile, original.Replace(Edited, Edited + $"        Console.WriteLine(\"edit {i}\");\n", StringComparison.Ordinal));
                await DotnetAsync(work, "build", "-c", "Release", "-v", "q");
                var clock = Stopwatch.StartNew();
                await DotnetAsync(work, Path.Combine("bin", "Release", "net10.0", "TrainFlow.dll"), "run", "--reuse", "--datastore", datastore, "--quiet");
                processes.Add(clock.Elapsed.TotalMilliseconds);
                var run = new Flow("TrainFlow", new ClientOptions { DatastoreRoot = datastore, Namespace = null }).LatestRun!;
                var reused = run.Steps.SelectMany(s => s.Tasks).Where(t => t.Reused).Select(t => t.Step.Name).ToArray();
                if (!run.Successful || reused.Length != 7 || reused.Any(s => s is not ("Start" or "Fit")))
                {
                    throw new InvalidOperationException($"run {run.Id}: expected Start and the 6 Fit tasks reused, got {string.Join(", ", reused)} ({run.Status})");
                }
                var total = (run.FinishedAt!.Value - run.CreatedAt).TotalMilliseconds;
                var own = new[] { "PickBest", "End" }.Sum(s => (run[s].Task.FinishedAt!.Value - run[s].Task.StartedAt).TotalMilliseconds);
                totals.Add(total);
                overheads.Add(total - own);
            }
            var steps = Median(totals.Zip(overheads, (t, o) => t - o).ToList());
            Console.WriteLine($"PickBest + End task time (median): {steps:F1} ms");
            Report("TrainFlow run --reuse after a PickBest edit: run time", Median(totals), steps + 150, "ms");
            Report("  of it not in PickBest or End (reuse, records)", Median(overheads), 150, "ms");
            Report("  the whole process (start-up, 7 tasks reused)", Median(processes), steps + 150, "ms");
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    private static async Task DotnetAsync(string folder, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited with code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}
