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

    /// <summary>The resolved configs, by name.</summary>
    public required IReadOnlyDictionary<string, ConfigRecord> Configs { get; init; }

    /// <summary>Each step's decorators after config tables, mutators and <c>--with</c>.</summary>
    public required EffectiveFlow Effective { get; init; }

    public required MetadataStore Metadata { get; init; }

    public required ArtifactStore Artifacts { get; init; }

    public required RunnerOptions Options { get; init; }

    public required CancellationToken Cancellation { get; init; }

    /// <summary>For a resumed run: the origin tasks to clone instead of running; null for a fresh run.</summary>
    public ResumePlan? Resume { get; init; }

    public string FlowName => Graph.FlowName;

    public Type FlowType => Graph.FlowType;

    /// <summary>
    /// The content hash of each artifact member on a freshly constructed flow. A task stores a member only if it
    /// inherited it, merged it, or its value differs from this default (the start step stores everything).
    /// </summary>
    public IReadOnlyDictionary<string, string> DefaultHashes => _defaultHashes.Value;

    private readonly Lazy<IReadOnlyDictionary<string, string>> _defaultHashes;

    public RunContext() => _defaultHashes = new(ComputeDefaultHashes, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A comparable content hash of a member's current value (serializer id and blob hash).</summary>
    public string HashOf(FlowSpec instance, ArtifactMember member, string step) => HashOf(Artifacts.Codec.Encode(FlowName, step, member.Name, member.GetValue(instance)));

    /// <summary>A comparable content hash of an encoded artifact.</summary>
    public static string HashOf(EncodedArtifact encoded) => encoded.Serializer + ":" + encoded.ContentHash();

    private IReadOnlyDictionary<string, string> ComputeDefaultHashes()
    {
        var instance = CreateInstance();
        return ArtifactMember.Of(FlowType).ToDictionary(m => m.Name, m => HashOf(instance, m, "(defaults)"), StringComparer.Ordinal);
    }

    /// <summary>
    /// The heartbeat and exit guard of a run this process owns (null in a process that runs one task of someone else's
    /// run: an isolated or remote task).
    /// </summary>
    public RunLifetime? Lifetime { get; set; }

    /// <summary>
    /// True in a process that runs one task of a run and nothing else (a child process or a remote worker): a step's
    /// [Environment] is set for the whole process.
    /// </summary>
    public bool OwnsProcess { get; init; }

    /// <summary>Where this run's events go (the options' callback and the runner's subscribers).</summary>
    public required Action<RunEvent> EventSink { get; init; }

    public void Publish(RunEvent runEvent) => EventSink(runEvent);

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
