using System.Text;
using System.Text.Json;
using Sharpflow.Artifacts;
using Sharpflow.Datastore;
using Sharpflow.Metadata;

namespace Sharpflow.Execution;

/// <summary>
/// The files of <see cref="IncludeFileAttribute"/> parameters: read and stored as content-addressed blobs when a run
/// starts (its record keeps the path, hash and size), and read back from the datastore into each task's flow instance.
/// </summary>
internal static class IncludedFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the files the parameter values name and stores them; returns the values with each file's record complete.
    /// Values already stored (a resumed or spun run's, a deployment's) are kept as they are.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> StoreAsync(
        string flow, IEnumerable<FlowParameter> parameters, IReadOnlyDictionary<string, string> values, ContentAddressedStore blobs, CancellationToken cancellationToken)
    {
        Dictionary<string, string>? stored = null;
        foreach (var parameter in parameters.Where(p => p.IncludesFile))
        {
            if (!values.TryGetValue(parameter.PropertyName, out var json) || RecordOf(json) is not { Hash: null } record)
            {
                continue;
            }
            byte[] content;
            try
            {
                content = await File.ReadAllBytesAsync(record.Path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"Flow '{flow}': parameter --{parameter.Name} names file '{record.Path}' ({Path.GetFullPath(record.Path)}), which cannot be read: {e.Message}", e);
            }
            // The blob holds the value's own bytes as an artifact of its type holds them (text: UTF-8 without a byte
            // order mark, refused now when it is not UTF-8), so each task carries it as a parameter without encoding it.
            var value = parameter.Type == typeof(string) ? ValueBytes(Text(flow, parameter, record.Path, content)) : content;
            var blob = (await blobs.SaveBlobsAsync([value], cancellationToken).ConfigureAwait(false))[0];
            stored ??= new Dictionary<string, string>(values, StringComparer.Ordinal);
            stored[parameter.PropertyName] = parameter.ToJson(record with { Hash = blob.Hash, Size = blob.Size });
        }
        return stored ?? values;
    }

    /// <summary>The record an included file's stored JSON holds, or null when no file was given.</summary>
    public static IncludedFileRecord? RecordOf(string json) => JsonSerializer.Deserialize<IncludedFileRecord?>(json, DataJson.Options);

    /// <summary>A fresh copy of an included file's content, as the property's type (its text or its bytes).</summary>
    public static async Task<object> LoadAsync(string flow, FlowParameter parameter, IncludedFileRecord record, ContentAddressedStore blobs, CancellationToken cancellationToken)
    {
        var hash = record.Hash ?? throw new InvalidOperationException(
            $"Flow '{flow}': parameter --{parameter.Name} names file '{record.Path}', which the run did not store; files are read where the run starts.");
        var data = (await blobs.LoadBlobsAsync([hash], cancellationToken).ConfigureAwait(false))[0];
        return parameter.Type == typeof(string) ? Text(flow, parameter, record.Path, data.Span) : data.ToArray();
    }

    /// <summary>The artifact entry of an included file's value in a task: its stored blob, as encoding the value would make it.</summary>
    public static ArtifactEntry EntryOf(FlowParameter parameter, IncludedFileRecord record) =>
        new(record.Hash ?? throw new InvalidOperationException($"Parameter --{parameter.Name}: file '{record.Path}' was never stored."),
            RawSerializerId, TypeNames.Of(parameter.Type), record.Size);

    /// <summary>The content hash of an included file's value as a task holds it (to see whether a step changed it).</summary>
    public static string HashOf(object? value) => value switch
    {
        string text => BlobCodec.Hash(ValueBytes(text)),
        byte[] bytes => BlobCodec.Hash(bytes),
        _ => "",
    };

    private const string RawSerializerId = "raw";

    /// <summary>A text value's bytes as the raw serializer stores a well-formed string: UTF-8 (decoded UTF-8 is always well-formed).</summary>
    private static byte[] ValueBytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(string flow, FlowParameter parameter, string path, ReadOnlySpan<byte> content)
    {
        var body = content.StartsWith(Encoding.UTF8.Preamble) ? content[Encoding.UTF8.Preamble.Length..] : content;
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            throw new ArgumentException($"Flow '{flow}': parameter --{parameter.Name}: file '{path}' is not UTF-8 text ({e.Message}). "
                + "Declare the property as byte[] to include it as bytes.", e);
        }
    }
}
