using System.Globalization;
using System.Reflection;
using Sharpflow.Client;
using Sharpflow.Events;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>Calls a finished run's exit hooks in declaration order; their failures are recorded, never rethrown.</summary>
internal static class ExitHookRunner
{
    public static async Task<IReadOnlyList<HookResult>> RunAsync(FlowGraph graph, Run run, Action<RunEvent> publish)
    {
        var results = new List<HookResult>();
        foreach (var hook in ExitHook.Of(graph.FlowType).Where(h => run.Successful ? h.OnSuccess : h.OnFailure))
        {
            ExceptionRecord? failure = null;
            try
            {
                if (hook.Method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [run], CultureInfo.InvariantCulture) is Task pending)
                {
                    await pending.ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = ExceptionRecord.From(e);
            }
            results.Add(new HookResult(hook.Name, failure is null, failure));
            publish(new HookFinished(run.FlowName, run.Id, DateTimeOffset.UtcNow, hook.Name, failure));
        }
        return results;
    }
}
