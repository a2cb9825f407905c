using Sharpflow.Artifacts;

namespace Sharpflow;

/// <summary>
/// Checkpoints of the running task (<see cref="Current.Checkpoint"/>): save progress of a long step as a value or as
/// files, and after a failed attempt let the retry resume from the latest one instead of starting over.
/// Checkpoints are stored in the datastore under the task and kept across its attempts.
/// </summary>
public sealed class Checkpoint
{
    private readonly CheckpointStore _store;
    private readonly CancellationToken _cancellation;

    internal Checkpoint(CheckpointStore store, CancellationToken cancellation)
    {
        _store = store;
        _cancellation = cancellation;
    }

    /// <summary>Saves <paramref name="value"/> (any value an artifact could hold) as the latest checkpoint called <paramref name="name"/>.</summary>
    public Task SaveAsync<T>(T value, string name = "default") => _store.SaveValueAsync(name, value, _cancellation);

    /// <summary>Saves a file, or a folder with everything below it, as the latest checkpoint called <paramref name="name"/>.</summary>
    public Task SaveFilesAsync(string path, string name = "default") => _store.SaveFilesAsync(name, path, _cancellation);

    /// <summary>The latest value saved under <paramref name="name"/> by any attempt of this task, or <c>default</c> when there is none.</summary>
    public async Task<T?> LoadLatestAsync<T>(string name = "default")
    {
        var latest = await _store.LatestAsync(name, _cancellation).ConfigureAwait(false);
        return latest is null ? default : (T?)await _store.LoadValueAsync(latest, typeof(T), _cancellation).ConfigureAwait(false);
    }

    /// <summary>Restores the latest files checkpoint called <paramref name="name"/> into <paramref name="targetFolder"/>; false when there is none.</summary>
    public async Task<bool> LoadLatestFilesAsync(string targetFolder, string name = "default")
    {
        var latest = await _store.LatestAsync(name, _cancellation).ConfigureAwait(false);
        if (latest is null)
        {
            return false;
        }
        await _store.RestoreFilesAsync(latest, targetFolder, _cancellation).ConfigureAwait(false);
        return true;
    }
}
