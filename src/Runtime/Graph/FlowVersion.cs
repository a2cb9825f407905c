using System.IO.Hashing;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sharpflow.Graph;

/// <summary>
/// A short hash of a flow's code: its name, artifact and parameter members, and the IL of every step (async state
/// machines included). Runs of unchanged code share it; it is recorded as the <c>flow_version:</c> system tag.
/// </summary>
public static class FlowVersion
{
    private static readonly ConditionalWeakTable<Type, string> Cache = new();

    /// <summary>The version hash of the graph's flow (16 hex digits).</summary>
    public static string Of(FlowGraph graph) =>
        Cache.GetValue(graph.FlowType, _ => FlowManifest.IlIsReadable ? Compute(graph) : FlowManifest.For(graph.FlowType).Version);

    private static string Compute(FlowGraph graph)
    {
        var hash = new XxHash64();
        hash.Append(Encoding.UTF8.GetBytes(graph.FlowType.FullName ?? graph.FlowName));
        foreach (var member in Artifacts.ArtifactMember.Of(graph.FlowType))
        {
            hash.Append(Encoding.UTF8.GetBytes($"{member.Name}:{member.Type.FullName}"));
        }
        foreach (var parameter in FlowParameter.Of(graph.FlowType))
        {
            hash.Append(Encoding.UTF8.GetBytes($"{parameter.Name}:{parameter.Type.FullName}"));
        }
        foreach (var step in graph.Steps)
        {
            hash.Append(Encoding.UTF8.GetBytes(step.Name));
            hash.Append(step.Method.GetMethodBody()?.GetILAsByteArray() ?? []);
            var stateMachine = step.Method.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType;
            hash.Append(stateMachine?.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.GetMethodBody()?.GetILAsByteArray() ?? []);
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
