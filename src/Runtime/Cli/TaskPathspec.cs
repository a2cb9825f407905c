using System.CommandLine;
using Sharpflow.Client;

namespace Sharpflow.Cli;

/// <summary>Resolves a <c>run/step[/task]</c> argument (run may be <c>latest</c>; the flow first in the tool) to the tasks it names.</summary>
internal static class TaskPathspec
{
    public static Argument<string> Argument(FlowScope scope) =>
        new("pathspec") { Description = $"{scope.RunShape}/step or {scope.RunShape}/step/task-id (run-id may be 'latest')." };

    public static IReadOnlyList<FlowTask> Resolve(FlowScope scope, string? datastore, string pathspec, string? @namespace)
    {
        var (flow, parts) = scope.Open(datastore, pathspec, "latest/Start", "/step", "/step/task-id");
        var step = FlowScope.RunOf(flow, parts[0], @namespace)[parts[1]];
        return parts.Length == 3 ? [step[parts[2]]] : step.Tasks;
    }
}
