using Sharpflow.Artifacts;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>A foreach item handed to a child process: its serializer, type and bytes.</summary>
internal sealed record IsolatedItem(string Serializer, string TypeName, byte[] Data)
{
    /// <summary>The item as handed over, or an error naming the flow and step when it is too large for one buffer.</summary>
    public static IsolatedItem? From(string flow, string step, EncodedArtifact? item) => item switch
    {
        null => null,
        { Chunks: not null } i => throw new ArtifactSerializationException(flow, step, "Input", i.TypeName,
            $"Flow '{flow}', step '{step}': a foreach item of type '{i.TypeName}' is {i.Length:N0} bytes, too large to hand to a task in another process: "
            + "iterate over indices or names and let each task read its data from an artifact."),
        { } i => new IsolatedItem(i.Serializer, i.TypeName, i.Data.ToArray()),
    };

    public EncodedArtifact ToEncoded() => new(Data, Serializer, TypeName);
}

/// <summary>
/// Everything a child process needs to run one attempt of a task of an existing run: the rest (parameters, tags,
/// parent artifacts) it reads from the datastore.
/// </summary>
internal sealed record IsolatedTaskSpec(
    string RunId,
    string Step,
    string TaskId,
    IReadOnlyList<string> Parents,
    IReadOnlyList<SplitFrame> Splits,
    IReadOnlyList<IsolatedItem?> SplitItems,
    int Iteration,
    int Attempt,
    bool LastAttempt,
    int MaxNumSplits,
    string? Namespace,
    string User);
