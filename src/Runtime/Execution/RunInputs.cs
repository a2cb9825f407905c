using Sharpflow.Client;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// What a run is given and keeps for every task: parameter values (JSON by property name), resolved configs, and the
/// decorators that apply once configs and mutators are taken into account.
/// </summary>
internal sealed record RunInputs(IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, ConfigRecord> Configs, EffectiveFlow Effective)
{
    /// <summary>The inputs of a past run, for resume and spin (its configs drive the decorators again).</summary>
    public static RunInputs Of(Run run, FlowGraph graph, RunnerOptions options) =>
        new(run.Parameters, run.Record.Configs, FlowMutation.Apply(graph, run.Record.Configs, options));
}
