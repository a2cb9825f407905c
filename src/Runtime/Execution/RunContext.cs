using Sharpflow.Artifacts;
using Sharpflow.Events;
using Sharpflow.Graph;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>Everything the tasks of one run share: graph, ids, parameters, stores, options and the event sink.</summary>
internal sealed class RunContext
{
    public required FlowGraph Graph { get; init; }

    public required string RunId { get; init; }

    public required string User { get; init; }

    public required string Namespace { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>Parameter values as stored JSON, by property name.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required MetadataStore Metadata { get; init; }

    public required ArtifactStore Artifacts { get; init; }

    public required RunnerOptions Options { get; init; }

    public required CancellationToken Cancellation { get; init; }

    public string FlowName => Graph.FlowName;

    public Type FlowType => Graph.FlowType;

    public void Publish(RunEvent runEvent) => Options.OnEvent?.Invoke(runEvent);

    public FlowSpec CreateInstance()
    {
        try
        {
            return (FlowSpec)Activator.CreateInstance(FlowType)!;
        }
        catch (MissingMethodException e)
        {
            throw new InvalidOperationException($"Flow '{FlowName}' needs a public parameterless constructor so Sharpflow can create one instance per task.", e);
        }
    }
}
