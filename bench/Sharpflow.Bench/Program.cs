using System.Diagnostics;
using System.Globalization;
using static BenchFigures;
using Sharpflow;
using Sharpflow.Artifacts;
using Sharpflow.Bench;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Execution;

// Timed end-to-end benchmarks of the local runtime. Each figure is the median of several repetitions measured in this
// one invocation; every line prints the figure, the target and their ratio. `child <scenario> <root>` runs one scenario
// in a fresh process (for wall time and peak memory of a cold run).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args is ["child", "foreach", var childRoot, ..])
{
    var width = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000;
    var clock = Stopwatch.StartNew();
    var run = await new Runner<WideForeachFlow>(new RunnerOptions { DatastoreRoot = childRoot, MaxNumSplits = width }).RunAsync(new Dictionary<string, object?> { ["Width"] = width });
    clock.Stop();
    if (!run.Successful || run.Data["Sum"].Get<long>() != (long)width * (width - 1) / 2)
    {
        Console.Error.WriteLine($"foreach run failed: {run.Error}");
        return 1;
    }
    var join = run["Join"].Task;
    Console.WriteLine($"{clock.Elapsed.TotalMilliseconds:F1} {Process.GetCurrentProcess().PeakWorkingSet64} {(join.FinishedAt!.Value - join.StartedAt).TotalMilliseconds:F1}");
    return 0;
}
if (args is ["child", "list", var listRoot])
{
    // A cold process lists the latest run's body tasks and loads one small artifact from each.
    var clock = Stopwatch.StartNew();
    var run = new Flow(nameof(WideForeachFlow), new ClientOptions { DatastoreRoot = listRoot, Namespace = null }).LatestRun!;
    var tasks = run["Body"].Tasks;
    var sum = tasks.Sum(t => (long)t["Value"].Get<int>());
    clock.Stop();
    if (sum != (long)tasks.Count * (tasks.Count - 1) / 2)
    {
        Console.Error.WriteLine("listing read wrong values");
        return 1;
    }
    Console.WriteLine($"{clock.Elapsed.TotalMilliseconds:F1}");
    return 0;
}
if (args is ["child", "idle"])
{
    // The same program started and ended without a flow: the runtime's own start, the baseline of the 4-step figure.
    Console.WriteLine($"{Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F1}");
    return 0;
}
if (args is ["child", "show"])
{
    // A command that reads no run: the flow's graph printed through its CLI; prints the process's CPU time.
    var exit = await FlowMain.RunAsync<FourStepFlow>(["show"]);
    Console.WriteLine($"{Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F1}");
    return exit;
}
if (args is ["child", "cli", var cliRoot])
{
    // A 4-step flow run through its CLI, as from the built binary; prints the process's CPU time when the run is done.
    var exit = await FlowMain.RunAsync<FourStepFlow>(["run", "--datastore", cliRoot, "--quiet"]);
    Console.WriteLine($"{Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:F1}");
    return exit;
}

var repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var root = Path.Combine(Path.GetTempPath(), "sharpflow-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
try
{
    Console.WriteLine($"Sharpflow local runtime benchmarks: {Environment.ProcessorCount} cores, {repetitions} repetitions each, medians.");
    Console.WriteLine($"{"scenario",-58} {"median",12} {"target",10} {"ratio",7}");
    if (args is [_, "editor"])
    {
        await EditorLatency.ReportAsync(repetitions); // `dotnet run ... -- 5 editor`: only the editor scenario
        return 0;
    }
    if (args is [_, "scale", ..])
    {
        await ScaleFigures.ReportAsync(root, repetitions, args.Contains("100k")); // `dotnet run -c Release ... -- 3 scale [100k]`: the issue-17 targets
        return 0;
    }
    if (args is [_, "large"])
    {
        // `dotnet run -c Release ... -- 3 large`: a 2.16 GB float[] (stored in chunks) against a raw write+read
        await PayloadFigures.ReportAsync(root, repetitions, bytes: false, size: PayloadFigures.OverTwoGigabytes);
        return 0;
    }
    if (args is [_, "reuse"])
    {
        await ReuseFigures.ReportAsync(RepositoryRoot(), repetitions); // `dotnet run -c Release ... -- 3 reuse`: TrainFlow re-run after a PickBest edit
        return 0;
    }
    if (args is [_, "s3"])
    {
        await S3Throughput.ReportAsync(RepositoryRoot(), repetitions); // `dotnet run ... -- 3 s3`: S3 throughput against TransferUtility
        return 0;
    }

    // 1. A 1,000-way foreach of trivial tasks, each repetition a cold process.
    var walls = new List<double>();
    var peaks = new List<double>();
    for (var i = 0; i < repetitions; i++)
    {
        var line = await BenchChild.RunAsync("foreach", Path.Combine(root, $"wide{i}"), "1000");
        walls.Add(line[0]);
        peaks.Add(line[1] / (1 << 20));
    }
    Report("1,000-way foreach, wall time (cold process)", Median(walls), 3000, "ms");
    Report("1,000-way foreach, peak working set", Median(peaks), 300, "MB");

    // 2. Per-task overhead of a linear flow (warm: the runner is reused, as in a notebook).
    var linear = new Runner<LongLinearFlow>(new RunnerOptions { DatastoreRoot = Path.Combine(root, "linear") });
    await linear.RunAsync();
    var perTask = new List<double>();
    for (var i = 0; i < Math.Max(10, repetitions * 2); i++)
    {
        var clock = Stopwatch.StartNew();
        var run = await linear.RunAsync();
        clock.Stop();
        perTask.Add(clock.Elapsed.TotalMilliseconds / run.Steps.Sum(s => s.Tasks.Count));
    }
    Report("linear flow, wall time per task (20 steps, warm)", Median(perTask), 2, "ms");

    // 3. Saving and loading a 100 MB float[] artifact against a raw file write + read of the same bytes.
    await PayloadFigures.ReportAsync(root, Math.Max(7, repetitions), bytes: false);

    // 4. Listing a 1,000-task run and loading one small artifact from each task, with a fresh client each time.
    var wideRoot = Path.Combine(root, "wide0");
    var listing = new List<double>();
    for (var i = 0; i < repetitions; i++)
    {
        var clock = Stopwatch.StartNew();
        var run = new Flow(nameof(WideForeachFlow), new ClientOptions { DatastoreRoot = wideRoot, Namespace = null }).LatestRun!;
        var sum = run["Body"].Tasks.Sum(t => (long)t["Value"].Get<int>());
        clock.Stop();
        if (sum != 499_500)
        {
            throw new InvalidOperationException("listing read wrong values");
        }
        listing.Add(clock.Elapsed.TotalMilliseconds);
    }
    Report("list a 1,000-task run + load one artifact per task", Median(listing), 1000, "ms");

    // 5. Spin latency: one trivial foreach task re-run with its past inputs, warm (the runner is reused), persisted.
    var spinRunner = new Runner<WideForeachFlow>(new RunnerOptions { DatastoreRoot = Path.Combine(root, "spin"), MaxNumSplits = 1000 });
    var spinOrigin = await spinRunner.RunAsync();
    var spins = new List<double>();
    for (var i = 0; i < 1 + Math.Max(10, repetitions * 2); i++)
    {
        var clock = Stopwatch.StartNew();
        var spun = await spinRunner.SpinAsync(new SpinOptions { Step = "Body", RunId = spinOrigin.Id, TaskId = spinOrigin["Body"].Tasks[i].Id });
        clock.Stop();
        if (!spun.Successful)
        {
            throw new InvalidOperationException($"spin failed: {spun.Error}");
        }
        if (i > 0)
        {
            spins.Add(clock.Elapsed.TotalMilliseconds); // the first spin warms up
        }
    }
    Report("spin one trivial foreach task (warm, persisted)", Median(spins), 300, "ms");

    // 6. Rendering the default card of a task with 20 artifacts (scalars, strings, lists of records, arrays).
    var artifacts = Enumerable.Range(0, 20).Select(i => new Sharpflow.Cards.CardArtifact($"artifact{i}", "System.Object", 1024 * i, (i % 4) switch
    {
        0 => (object)(i * 1.5),
        1 => $"text value {i} " + new string('x', 200),
        2 => Enumerable.Range(0, 1000).Select(j => new { Epoch = j, Loss = 1.0 / (j + 1) }).ToList(),
        _ => Enumerable.Range(0, 10_000).Select(j => (float)j).ToArray(),
    })).ToArray();
    var graph = Sharpflow.Graph.FlowGraphExtractor.Extract(typeof(WideForeachFlow));
    var record = new Sharpflow.Metadata.TaskRecord { FlowName = "WideForeachFlow", RunId = "1", StepName = "Body", TaskId = "2", StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow };
    var renders = new List<double>();
    for (var i = 0; i < 1 + Math.Max(10, repetitions * 2); i++)
    {
        var clock = Stopwatch.StartNew();
        var dag = Sharpflow.Graph.GraphSvgRenderer.Render(graph, step => step == "Body" ? "current succeeded" : "ran");
        var html = Sharpflow.Cards.CardDocument.Render(new Sharpflow.Cards.CardPage("default", record, true, new Dictionary<string, string> { ["Seed"] = "7" },
            new Dictionary<string, Sharpflow.Metadata.ConfigRecord>(), artifacts, dag, string.Join('\n', Enumerable.Range(0, 500).Select(j => $"log line {j}")), "", []));
        clock.Stop();
        if (html.Length < 1000)
        {
            throw new InvalidOperationException("the card did not render");
        }
        if (i > 0)
        {
            renders.Add(clock.Elapsed.TotalMilliseconds);
        }
    }
    Report("render a default card with 20 artifacts", Median(renders), 100, "ms");

    // 7. Editor diagnostics: didChange → publishDiagnostics on a 500-line flow file, through the real server over stdio.
    await EditorLatency.ReportAsync(repetitions);
    return 0;
}
finally
{
    Directory.Delete(root, true);
}

static string RepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Interactive.sln")))
    {
        directory = directory.Parent;
    }
    return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository (Interactive.sln not found above " + AppContext.BaseDirectory + ").");
}

/// <summary>How every scenario reports: the median of its samples against a target, and the ratio.</summary>
internal static class BenchFigures
{
    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static void Report(string scenario, double median, double target, string unit) =>
        Console.WriteLine($"{scenario,-58} {median,9:F1} {unit,-2} {target,7:F0} {unit,-2} {median / target,6:F2}");
}

/// <summary>Drives the real language server over stdio: each didChange of the document is timed until its publishDiagnostics arrives.</summary>
internal sealed class EditorLatency
{
    private readonly System.Threading.Channels.Channel<System.Text.Json.JsonElement> _published = System.Threading.Channels.Channel.CreateUnbounded<System.Text.Json.JsonElement>();

    [StreamJsonRpc.JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
    public void Publish(System.Text.Json.JsonElement parameters) => _published.Writer.TryWrite(parameters);

    /// <summary>Times edits of a generated 500-line flow (81 steps with artifacts) and prints the median against the 100 ms target.</summary>
    public static async Task ReportAsync(int repetitions)
    {
        var flowSource = new System.Text.StringBuilder("using Sharpflow;\n\npublic class LongFlow : FlowSpec\n{\n    public int Counter;\n    public string? Log;\n    public List<int> Items = new();\n");
        const int stepCount = 81;
        flowSource.Append("    [Step] public void Start() { Counter = 0; Log = \"\"; Next(S1); }\n");
        for (var s = 1; s <= stepCount; s++)
        {
            flowSource.Append($"    [Step]\n    public void S{s}()\n    {{\n        Counter += {s}; Log += \"{s},\";\n        Next({(s == stepCount ? "End" : $"S{s + 1}")});\n    }}\n");
        }
        flowSource.Append("    [Step] public void End() { }\n}\n");
        var text = flowSource.ToString();
        var latencies = await MeasureAsync(text, Math.Max(10, repetitions * 2));
        BenchFigures.Report($"didChange → publishDiagnostics, {text.Split('\n').Length}-line flow (stdio)", BenchFigures.Median(latencies), 100, "ms");
    }

    private static async Task<List<double>> MeasureAsync(string text, int edits)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sharpflow.LanguageServer.dll"));
        using var server = Process.Start(start)!;
        var sink = new EditorLatency();
        var formatter = new StreamJsonRpc.SystemTextJsonFormatter();
        using var rpc = new StreamJsonRpc.JsonRpc(new StreamJsonRpc.HeaderDelimitedMessageHandler(server.StandardInput.BaseStream, server.StandardOutput.BaseStream, formatter));
        rpc.AddLocalRpcTarget(sink);
        rpc.StartListening();
        try
        {
            await rpc.InvokeWithParameterObjectAsync<System.Text.Json.JsonElement>("initialize", new { processId = Environment.ProcessId, capabilities = new { } });
            await rpc.NotifyWithParameterObjectAsync("initialized", new { });
            const string uri = "untitled:LongFlow.cs";
            await rpc.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "csharp", version = 1, text } });
            await sink.WaitForVersionAsync(1, expectClean: true); // warm-up: first compile of the session
            var latencies = new List<double>();
            for (var i = 0; i < edits; i++)
            {
                var version = i + 2;
                var edited = text.Replace("Counter += 7;", $"Counter += {7 + i};", StringComparison.Ordinal);
                var clock = Stopwatch.StartNew();
                await rpc.NotifyWithParameterObjectAsync("textDocument/didChange", new { textDocument = new { uri, version }, contentChanges = new[] { new { text = edited } } });
                await sink.WaitForVersionAsync(version, expectClean: true);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
            await rpc.InvokeWithParameterObjectAsync<object?>("shutdown");
            await rpc.NotifyAsync("exit");
            return latencies;
        }
        finally
        {
            if (!server.WaitForExit(10_000))
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task WaitForVersionAsync(int version, bool expectClean)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var published = await _published.Reader.ReadAsync(timeout.Token);
            if (published.TryGetProperty("version", out var v) && v.GetInt32() == version)
            {
                if (expectClean && published.GetProperty("diagnostics").GetArrayLength() > 0)
                {
                    throw new InvalidOperationException("the long flow did not analyse cleanly: " + published.GetProperty("diagnostics"));
                }
                return;
            }
        }
    }
}
