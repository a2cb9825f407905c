using System.Globalization;
using Sharpflow.Datastore;
using Sharpflow.Metadata;

namespace Sharpflow.Artifacts;

/// <summary>One saved checkpoint: a value (an encoded artifact) or a set of files, with when and by which attempt.</summary>
internal sealed record CheckpointRecord(string Name, int Sequence, int Attempt, DateTimeOffset SavedAt, ArtifactEntry? Value, IReadOnlyList<CheckpointFile> Files);

/// <summary>One file of a files checkpoint: its path relative to the saved folder and its blob.</summary>
internal sealed record CheckpointFile(string Path, string Hash, long Size);

/// <summary>
/// Checkpoints of one task, kept in the datastore under <c>&lt;task&gt;/_checkpoints/&lt;name&gt;/&lt;sequence&gt;.json</c>
/// with their bytes as content-addressed blobs; they survive failed attempts so a retry can resume from the latest.
/// </summary>
internal sealed class CheckpointStore(IBlobStore store, ArtifactStore artifacts, string flow, string run, string step, string task, int attempt)
{
    private string Folder(string name) => $"{DatastoreLayout.Task(flow, run, step, task)}/_checkpoints/{name}";

    public async Task SaveValueAsync(string name, object? value, CancellationToken cancellationToken)
    {
        var encoded = artifacts.Codec.Encode(flow, step, $"checkpoint '{name}'", value);
        var index = await artifacts.SaveAsync([(name, encoded)], cancellationToken).ConfigureAwait(false);
        await WriteAsync(name, index.Artifacts[name], [], cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveFilesAsync(string name, string path, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(path);
        var files = File.Exists(root) ? [root]
            : Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray()
            : throw new FileNotFoundException($"Checkpoint '{name}' of step '{step}': '{path}' is neither a file nor a folder.", path);
        var contents = new List<ReadOnlyMemory<byte>>(files.Length);
        foreach (var file in files)
        {
            contents.Add(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false));
        }
        var refs = await artifacts.Blobs.SaveBlobsAsync(contents, cancellationToken).ConfigureAwait(false);
        var baseFolder = File.Exists(root) ? Path.GetDirectoryName(root)! : root;
        var saved = files.Select((f, i) => new CheckpointFile(Path.GetRelativePath(baseFolder, f).Replace('\\', '/'), refs[i].Hash, refs[i].Size)).ToArray();
        await WriteAsync(name, null, saved, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CheckpointRecord?> LatestAsync(string name, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(Folder(name), cancellationToken).ConfigureAwait(false);
        var latest = entries.Where(e => e.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).LastOrDefault();
        if (latest is null)
        {
            return null;
        }
        var key = $"{Folder(name)}/{latest}";
        var data = (await store.LoadAsync([key], cancellationToken).ConfigureAwait(false))[0];
        return data is null ? null : MetadataJson.Deserialize<CheckpointRecord>(data, key);
    }

    public Task<object?> LoadValueAsync(CheckpointRecord record, Type type, CancellationToken cancellationToken) =>
        record.Value is { } entry
            ? artifacts.LoadValueAsync(step, $"checkpoint '{record.Name}'", entry, type, cancellationToken)
            : throw new InvalidOperationException($"Checkpoint '{record.Name}' of step '{step}' holds files, not a value: load it with LoadLatestFilesAsync.");

    public async Task RestoreFilesAsync(CheckpointRecord record, string targetFolder, CancellationToken cancellationToken)
    {
        if (record.Value is not null)
        {
            throw new InvalidOperationException($"Checkpoint '{record.Name}' of step '{step}' holds a value, not files: load it with LoadLatestAsync<T>().");
        }
        var data = await artifacts.Blobs.LoadBlobsAsync(record.Files.Select(f => f.Hash).ToArray(), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < record.Files.Count; i++)
        {
            var target = Path.GetFullPath(Path.Combine(targetFolder, record.Files[i].Path));
            if (!target.StartsWith(Path.GetFullPath(targetFolder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Checkpoint '{record.Name}' names a file outside its folder: '{record.Files[i].Path}'.");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, data[i], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(string name, ArtifactEntry? value, IReadOnlyList<CheckpointFile> files, CancellationToken cancellationToken)
    {
        // Create-only writes: two writers (a timed-out attempt still running beside its retry) never overwrite each other.
        var sequence = (await LatestAsync(name, cancellationToken).ConfigureAwait(false))?.Sequence + 1 ?? 0;
        while (true)
        {
            var record = new CheckpointRecord(name, sequence, attempt, DateTimeOffset.UtcNow, value, files);
            var key = $"{Folder(name)}/{sequence.ToString("D8", CultureInfo.InvariantCulture)}.json";
            if (await store.TryCreateAsync(new BlobWrite(key, MetadataJson.Serialize(record)), cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            sequence++;
        }
    }
}
