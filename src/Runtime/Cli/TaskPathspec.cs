using System.CommandLine;
using Sharpflow.Client;

namespace Sharpflow.Cli;

/// <summary>Resolves a <c>run/step[/task]</c> argument (run may be <c>latest</c>) to the tasks it names.</summary>
internal static class TaskPathspec
{
    public static Argument<string> Argument() => new("pathspec") { Description = "run-id/step or run-id/step/task-id (run-id may be 'latest')." };

    public static IReadOnlyList<FlowTask> Resolve(Type flowType, string? datastore, string pathspec)
    {
        var parts = pathspec.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 3)
        {
            throw new ArgumentException($"'{pathspec}' is not a pathspec: use run-id/step or run-id/step/task-id (e.g. latest/Start).");
        }
        var flow = new Flow(flowType.Name, ClientOptions.Global with { DatastoreRoot = datastore });
        var run = parts[0] == "latest"
            ? flow.LatestRun ?? throw new ArgumentException($"Flow '{flowType.Name}' has no runs in the datastore yet.")
            : flow[parts[0]];
        var step = run[parts[1]];
        return parts.Length == 3 ? [step[parts[2]]] : step.Tasks;
    }
}
