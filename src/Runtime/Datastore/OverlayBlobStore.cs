namespace Sharpflow.Datastore;

/// <summary>
/// Reads from an upper store first and a read-only lower store second; writes go only to the upper store. Lets a
/// throw-away run read a real datastore without writing a byte to it.
/// </summary>
public sealed class OverlayBlobStore(IBlobStore upper, IBlobStore lower) : IBlobStore
{
    /// <inheritdoc />
    public string Location => $"{upper.Location} over {lower.Location}";

    /// <inheritdoc />
    public Task SaveAsync(IReadOnlyList<BlobWrite> blobs, CancellationToken cancellationToken = default) => upper.SaveAsync(blobs, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(BlobWrite blob, CancellationToken cancellationToken = default) =>
        !(await lower.ExistsAsync([blob.Key], cancellationToken).ConfigureAwait(false))[0]
        && await upper.TryCreateAsync(blob, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<byte[]?>> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var result = (await upper.LoadAsync(keys, cancellationToken).ConfigureAwait(false)).ToArray();
        var missing = Enumerable.Range(0, keys.Count).Where(i => result[i] is null).ToArray();
        if (missing.Length > 0)
        {
            var fromLower = await lower.LoadAsync(missing.Select(i => keys[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < missing.Length; j++)
            {
                result[missing[j]] = fromLower[j];
            }
        }
        return result;
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        await upper.OpenReadAsync(key, cancellationToken).ConfigureAwait(false) ?? await lower.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<bool>> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var up = await upper.ExistsAsync(keys, cancellationToken).ConfigureAwait(false);
        var low = await lower.ExistsAsync(keys, cancellationToken).ConfigureAwait(false);
        return up.Zip(low, (a, b) => a || b).ToArray();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        (await upper.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            .Union(await lower.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            .Order(StringComparer.Ordinal)
            .ToArray();
}
