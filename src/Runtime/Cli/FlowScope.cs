using System.CommandLine;
using Sharpflow.Client;
using Sharpflow.Execution;

namespace Sharpflow.Cli;

/// <summary>
/// Which flow the commands that read the datastore (<c>runs</c>, <c>logs</c>, <c>dump</c>, <c>card</c>, <c>tag</c>) read:
/// a flow program's commands read its own flow, and their pathspecs start at the run (<c>latest/Start</c>); the
/// <c>sharpflow</c> tool reads any flow, named first in every pathspec (<c>HelloFlow/latest/Start</c>). One
/// implementation of each command serves both hosts.
/// </summary>
internal sealed class FlowScope
{
    private FlowScope(string? flowName) => FlowName = flowName;

    /// <summary>The flow a flow program's commands read.</summary>
    public static FlowScope Of(Type flowType) => new(flowType.Name);

    /// <summary>Any flow: each pathspec names its flow first (the <c>sharpflow</c> tool).</summary>
    public static FlowScope AnyFlow { get; } = new(null);

    /// <summary>The one flow in scope, or null when pathspecs name it.</summary>
    public string? FlowName { get; }

    /// <summary>How a pathspec starts in this scope, for help texts: <c>run-id</c> or <c>Flow/run-id</c>.</summary>
    public string RunShape => FlowName is null ? "Flow/run-id" : "run-id";

    /// <summary>Words for help texts: "flow 'HelloFlow'" or "a flow".</summary>
    public string Describe => FlowName is null ? "a flow" : $"flow '{FlowName}'";

    /// <summary>
    /// Splits <paramref name="pathspec"/> into its flow and the parts that follow it (the run first), which must take one
    /// of the <paramref name="shapes"/> after the run (<c>""</c>, <c>"/step"</c>, ...); the error shows those shapes in
    /// this scope and <paramref name="example"/>.
    /// </summary>
    public (Flow Flow, string[] Parts) Open(string? datastore, string pathspec, string example, params string[] shapes)
    {
        var parts = pathspec.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var skip = FlowName is null ? 1 : 0;
        if (!shapes.Any(shape => parts.Length - skip == 1 + shape.Count(c => c == '/')))
        {
            throw new ArgumentException($"'{pathspec}' is not a pathspec: use {string.Join(" or ", shapes.Select(shape => RunShape + shape))} (e.g. {(FlowName is null ? "HelloFlow/" : "")}{example}).");
        }
        return (new Flow(FlowName ?? parts[0], ClientOptions.Global with { DatastoreRoot = datastore }), parts[skip..]);
    }

    /// <summary>
    /// The run a <c>run-id</c> names in <paramref name="flow"/> as <see cref="Open"/> opened it (every namespace: an id is
    /// unambiguous), or for <c>latest</c> the newest run in the namespace <paramref name="namespaceGiven"/> asks for
    /// (<see cref="NamespaceOption"/>).
    /// </summary>
    public static Run RunOf(Flow flow, string runId, string? namespaceGiven)
    {
        if (runId != "latest")
        {
            return flow[runId];
        }
        var scope = namespaceGiven switch
        {
            null or "" => UserIdentity.NamespaceOf(UserIdentity.Current()),
            Global => null,
            _ => namespaceGiven,
        };
        return flow.InNamespace(scope).LatestRun ?? throw new ArgumentException(scope is null
            ? $"Flow '{flow.Name}' has no runs in the datastore yet."
            : $"Flow '{flow.Name}' has no runs in namespace '{scope}' yet: 'latest' is the newest run of yours. Give a run id, "
                + $"--namespace user:<name> for someone else's newest, or --namespace {Global} for the newest of all (`runs` lists them).");
    }

    /// <summary>The <c>--namespace</c> value that makes <c>latest</c> the newest run of anyone's.</summary>
    public const string Global = "global";

    /// <summary>The <c>--namespace</c> option of the commands that take <c>latest</c>.</summary>
    public static Option<string?> NamespaceOption() => new("--namespace")
    {
        Description = $"Whose newest run 'latest' is: a namespace (default: user:<you>, from SHARPFLOW_USER or your login), or '{Global}' for anyone's. Run ids read any run.",
        Recursive = true,
    };
}
