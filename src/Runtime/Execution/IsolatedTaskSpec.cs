using Sharpflow.Artifacts;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>A foreach item handed to a child process: its serializer, type and bytes.</summary>
internal sealed record IsolatedItem(string Serializer, string TypeName, byte[] Data)
{
    public static IsolatedItem? From(EncodedArtifact? item) => item is { } i ? new IsolatedItem(i.Serializer, i.TypeName, i.Data.ToArray()) : null;

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
