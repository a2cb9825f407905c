using Sharpflow;
using Sharpflow.TestFlows;

// Usage: Sharpflow.TestFlows <FlowName> <command> [options]
var flows = new[] { typeof(SlowForeachFlow), typeof(CrashyFlow), typeof(GpuFlow), typeof(ArrayGpuFlow), typeof(SshFlow), typeof(KubernetesFlow), typeof(SlowRemoteFlow), typeof(FlakyProductionFlow), typeof(HungryFlow), typeof(SandboxFlow) }.ToDictionary(t => t.Name);
if (args.Length == 0 || !flows.TryGetValue(args[0], out var flow))
{
    Console.Error.WriteLine($"usage: Sharpflow.TestFlows <{string.Join("|", flows.Keys)}> <command> [options]");
    return 2;
}
return await FlowMain.RunAsync(flow, args[1..]);
