using Sharpflow;
using Sharpflow.TestFlows;

// Usage: Sharpflow.TestFlows <FlowName> <command> [options]
//    or: Sharpflow.TestFlows measure-foreach <datastore> <width>: runs WideFlow that wide (after a 1-wide warm-up in the
//        same process) and prints the bytes the run allocated and the process's peak working set.
if (args is ["measure-foreach", var root, var wide])
{
    var width = int.Parse(wide, System.Globalization.CultureInfo.InvariantCulture);
    var options = new Sharpflow.Execution.RunnerOptions { DatastoreRoot = root, MaxNumSplits = Math.Max(width, 1) };
    await using var runner = new Sharpflow.Execution.Runner<WideFlow>(options);
    await runner.RunAsync(new Dictionary<string, object?> { ["Width"] = 1 }); // JIT, graph and datastore warm-up
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var run = await runner.RunAsync(new Dictionary<string, object?> { ["Width"] = width });
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
    if (!run.Successful || run.Data["Sum"].Get<long>() != (long)width * (width - 1) / 2)
    {
        Console.Error.WriteLine($"WideFlow {width} failed: {run.Error}");
        return 1;
    }
    Console.WriteLine($"{allocated} {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64}");
    return 0;
}
var flows = new[] { typeof(SlowForeachFlow), typeof(CrashyFlow), typeof(GpuFlow), typeof(ArrayGpuFlow), typeof(SshFlow), typeof(KubernetesFlow), typeof(KubernetesArrayFlow), typeof(SlowRemoteFlow), typeof(SlurmSetupFlow), typeof(UnfitSlurmFlow), typeof(ArgoFeaturesFlow), typeof(FlakyProductionFlow), typeof(HungryFlow), typeof(SandboxFlow), typeof(ProjectFlow), typeof(EnvironmentFlow), typeof(IncludeFileFlow), typeof(TriggeredFlow) }.ToDictionary(t => t.Name);
if (args.Length == 0 || !flows.TryGetValue(args[0], out var flow))
{
    Console.Error.WriteLine($"usage: Sharpflow.TestFlows <{string.Join("|", flows.Keys)}> <command> [options]");
    return 2;
}
return await FlowMain.RunAsync(flow, args[1..]);
