using System.Diagnostics;
using Sharpflow.Client;
using static BenchFigures;

namespace Sharpflow.Bench;

/// <summary>
/// Incremental runs (issue 20): TrainFlow built and run once, then, each repetition, its PickBest step edited, the
/// project built again and run with <c>--reuse</c> from the built binary. The run must reuse Start and the 6 Fit tasks
/// and run PickBest (End is reused as well when PickBest's result is the same); its own time (record created to
/// finished) is measured against PickBest's own time, a spin of PickBest alone from the same inputs (its card included),
/// plus End's task time and 150 ms. Each repetition also gives its overhead, its run time less its own PickBest spin and
/// End: the median of those pairs is the target's margin measured free of the machine's drift between repetitions
/// (both runs of a pair render the same card, whose time varies most).
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
            var baselines = new List<double>();
            var processes = new List<double>();
            var endReused = 0;
            for (var i = 0; i < repetitions; i++)
            {
                File.WriteAllText(flowFile, original.Replace(Edited, Edited + $"        Console.WriteLine(\"edit {i}\");\n", StringComparison.Ordinal));
                await DotnetAsync(work, "build", "-c", "Release", "-v", "q");
                var clock = Stopwatch.StartNew();
                await DotnetAsync(work, Path.Combine("bin", "Release", "net10.0", "TrainFlow.dll"), "run", "--reuse", "--datastore", datastore, "--quiet");
                processes.Add(clock.Elapsed.TotalMilliseconds);
                var flow = new Flow("TrainFlow", new ClientOptions { DatastoreRoot = datastore, Namespace = null });
                var run = flow.LatestRun!;
                var reused = run.Steps.SelectMany(s => s.Tasks).Where(t => t.Reused).Select(t => t.Step.Name).ToArray();
                // End is reused too when PickBest's new code picks the same model (its inputs did not change).
                if (!run.Successful || reused.Count(s => s is "Start" or "Fit") != 7 || reused.Contains("PickBest"))
                {
                    throw new InvalidOperationException($"run {run.Id}: expected Start and the 6 Fit tasks reused and PickBest run, got {string.Join(", ", reused)} reused ({run.Status})");
                }
                endReused += reused.Contains("End") ? 1 : 0;
                totals.Add((run.FinishedAt!.Value - run.CreatedAt).TotalMilliseconds);

                // PickBest's own time, as a run: the same step spun alone from the same inputs (its card included), plus End's task.
                await DotnetAsync(work, Path.Combine("bin", "Release", "net10.0", "TrainFlow.dll"), "spin", "PickBest", "--run-id", run.Id, "--datastore", datastore);
                var spin = flow.Runs.First(r => r.Tags.Contains(Metadata.RunRecord.SpinTag));
                var end = run["End"].Task;
                baselines.Add((spin.FinishedAt!.Value - spin.CreatedAt).TotalMilliseconds + (end.FinishedAt!.Value - end.StartedAt).TotalMilliseconds);
            }
            var baseline = Median(baselines);
            Console.WriteLine($"PickBest alone (spin, card included) + End: {baseline:F1} ms; End reused in {endReused} of {repetitions} runs (the edit leaves PickBest's result as it was)");
            Report("TrainFlow run --reuse after a PickBest edit: run time", Median(totals), baseline + 150, "ms");
            Report("  the whole process (start-up, 7-8 tasks reused)", Median(processes), baseline + 150, "ms");
            Report("  overhead: run time - its own PickBest + End, paired", Median(totals.Zip(baselines, (t, b) => t - b).ToList()), 150, "ms");
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
