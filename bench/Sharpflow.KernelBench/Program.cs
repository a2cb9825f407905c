using System.Diagnostics;
using System.Globalization;
using Microsoft.DotNet.Interactive.Events;
using Sharpflow.Testing;

// Notebook latency in the real kernel, in process, each figure the median of several repetitions measured in this one
// invocation. `child <packages> <folder>` measures one cold #r in a fresh process (the parent starts several).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args is ["child", var childPackages, var childFolder])
{
    Environment.CurrentDirectory = childFolder;
    using var cold = new RealKernel();
    Console.WriteLine((await TimeCellsAsync(cold, LoadCells(childPackages))).ToString(CultureInfo.InvariantCulture));
    return 0;
}

var repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var root = Directory.CreateTempSubdirectory("sharpflow-kernel-bench-").FullName;
var version = $"1.0.0-kernelbench.{DateTime.UtcNow:yyyyMMddHHmmss}";
try
{
    var packages = Path.Combine(root, "artifacts", "packages");
    var repository = RepositoryRoot();
    var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
    await RunAsync("dotnet", repository, "pack", "Sharpflow.Packages.slnf", "--no-build", "-c", configuration, "-o", packages, $"-p:VersionSuffix={version["1.0.0-".Length..]}");
    Console.WriteLine($"Sharpflow in the real .NET Interactive kernel ({configuration}): {Environment.ProcessorCount} cores, medians.");
    Console.WriteLine($"{"scenario",-64} {"median",10} {"target",8} {"ratio",7}");

    // 1. Cold: a fresh process, a fresh kernel, the notebook's two loading cells (package source, #r with its restore
    //    and the extension script). The restore is NuGet's (the package is in the NuGet cache after the first one).
    var colds = new List<double>();
    for (var i = 0; i < Math.Max(3, repetitions / 4); i++)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, $"cold{i}")).FullName;
        colds.Add(double.Parse(await RunAsync("dotnet", folder, typeof(RealKernel).Assembly.Location, "child", packages, folder), CultureInfo.InvariantCulture));
    }
    Report("cold: #i + #r \"nuget: Sharpflow.Interactive\" in a fresh kernel process", Median(colds), null);

    // 2. Warm: a 4-step flow defined in a cell, run again and again by a #!flow-run cell (whole cell, live view included).
    Environment.CurrentDirectory = Directory.CreateDirectory(Path.Combine(root, "warm")).FullName;
    using var kernel = new RealKernel();
    await TimeCellsAsync(kernel, LoadCells(packages));
    await TimeCellsAsync(kernel, ["""
        using Sharpflow;
        public class FourStepFlow : FlowSpec
        {
            public int Value;
            [Step] public void Start() { Value = 1; Next(Double); }
            [Step] public void Double() { Value *= 2; Next(Square); }
            [Step] public void Square() { Value *= Value; Next(End); }
            [Step] public void End() { }
        }
        """]);
    var runs = await RepeatAsync(kernel, "#!flow-run FourStepFlow", repetitions);
    Report("warm: #!flow-run of a 4-step flow, whole cell", Median(runs), 50);

    // 3. A step cell run again (its flow recompiled with the cell, then the step run with its parent's outputs).
    await TimeCellsAsync(kernel, [
        "#!flow-define CellsFlow\npublic int Seed { get; set; } = 3;",
        "#!step start --flow CellsFlow --next fit\npublic List<int> data = new();\ndata = Enumerable.Range(0, 100).Select(i => i * Seed).ToList();",
        "#!step fit --flow CellsFlow --next end\npublic double mean;\nmean = data.Average();",
        "#!step end --flow CellsFlow\nConsole.WriteLine(mean);"]);
    var steps = await RepeatAsync(kernel, "#!step fit --flow CellsFlow --next end\npublic double mean;\nmean = data.Average();", repetitions);
    Report("warm: a step cell run again (compile the flow, run the step)", Median(steps), 100);
    return 0;
}
finally
{
    Directory.Delete(root, recursive: true);
    var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured ? configured
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    foreach (var id in new[] { "sharpflow", "sharpflow.cards.plotly", "sharpflow.cellflows", "sharpflow.interactive" })
    {
        if (Directory.Exists(Path.Combine(cache, id, version)))
        {
            Directory.Delete(Path.Combine(cache, id, version), recursive: true);
        }
    }
}

static string[] LoadCells(string packages) => [$"#i \"nuget: {packages}\"", "#r \"nuget: Sharpflow.Interactive, *-*\""];

static async Task<double> TimeCellsAsync(RealKernel kernel, IEnumerable<string> cells)
{
    var clock = Stopwatch.StartNew();
    foreach (var cell in cells)
    {
        var events = await kernel.SubmitAsync(cell);
        if (events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
        {
            throw new InvalidOperationException($"cell failed: {cell}\n{failed.Message}");
        }
    }
    return clock.Elapsed.TotalMilliseconds;
}

static async Task<List<double>> RepeatAsync(RealKernel kernel, string cell, int repetitions)
{
    await TimeCellsAsync(kernel, [cell]); // warm-up
    var times = new List<double>();
    for (var i = 0; i < repetitions; i++)
    {
        times.Add(await TimeCellsAsync(kernel, [cell]));
    }
    return times;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static void Report(string scenario, double median, double? target) =>
    Console.WriteLine(target is { } t
        ? $"{scenario,-64} {median,7:F1} ms {t,5} ms {median / t,7:F2}"
        : $"{scenario,-64} {median,7:F1} ms {"-",8} {"-",7}");

static async Task<string> RunAsync(string program, string directory, params string[] arguments)
{
    var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"`{program} {string.Join(' ', arguments)}` failed:\n{await output}\n{await error}");
    }
    return (await output).Trim();
}

static string RepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Interactive.sln")))
    {
        directory = directory.Parent;
    }
    return directory?.FullName ?? throw new InvalidOperationException("Run the bench from the repository.");
}
