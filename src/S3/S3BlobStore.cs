using Sharpflow.Datastore;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Sharpflow.S3;

/// <summary>
/// <see cref="IBlobStore"/> over S3 (or an S3-compatible store). Batches run with bounded concurrency; blobs larger
/// than <see cref="MultipartThreshold"/> are uploaded in parallel parts and downloaded with parallel ranged GETs into
/// their destination (a large <see cref="OpenReadAsync"/> goes through a temporary file, never one big buffer). A PUT
/// is atomic in S3, so a reader never sees a partial blob; <see cref="TryCreateAsync"/> uses a conditional write.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>Blobs at least this large move in parts.</summary>
    public const int MultipartThreshold = 16 * 1024 * 1024;

    private const int PartSize = 8 * 1024 * 1024;

    /// <summary>
    /// How many times a GET whose body is cut off is made: the SDK retries a request that fails, not a response body that
    /// ends early (a server or proxy dropping the connection after the headers). Blobs never change, so reading again is safe.
    /// </summary>
    private const int BodyReadAttempts = 4;
    private readonly IAmazonS3 _client;
    private readonly S3Location _location;
    private readonly int _concurrency;

    /// <summary>A store at <paramref name="location"/>; <paramref name="client"/> defaults to one from the standard AWS settings.</summary>
    public S3BlobStore(S3Location location, IAmazonS3? client = null, int concurrency = 32)
    {
        _location = location ?? throw new ArgumentNullException(nameof(location));
        _client = client ?? S3Location.CreateClient();
        _concurrency = Math.Max(1, concurrency);
    }

    /// <inheritdoc />
    public string Location => _location.ToString();

    /// <inheritdoc />
    public Task SaveAsync(IReadOnlyList<BlobWrite> blobs, CancellationToken cancellationToken = default) =>
        WithCredentialsAsync(() => SaveAsyncCore(blobs, cancellationToken));

    private async Task SaveAsyncCore(IReadOnlyList<BlobWrite> blobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        await Parallel.ForEachAsync(blobs, Options(cancellationToken), async (blob, token) => await PutAsync(blob, null, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> TryCreateAsync(BlobWrite blob, CancellationToken cancellationToken = default) =>
        WithCredentialsAsync(() => TryCreateAsyncCore(blob, cancellationToken));

    private async Task<bool> TryCreateAsyncCore(BlobWrite blob, CancellationToken cancellationToken)
    {
        // Stores that ignore If-None-Match would overwrite: look first, then write conditionally.
        if ((await ExistsAsync([blob.Key], cancellationToken).ConfigureAwait(false))[0])
        {
            return false;
        }
        try
        {
            await PutAsync(blob, "*", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<byte[]?>> LoadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        WithCredentialsAsync(() => LoadAsyncCore(keys, cancellationToken));

    private async Task<IReadOnlyList<byte[]?>> LoadAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var results = new byte[]?[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), Options(cancellationToken), async (i, token) =>
        {
            results[i] = await DownloadAsync(keys[i], token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return results;
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        WithCredentialsAsync(() => OpenReadAsyncCore(key, cancellationToken));

    private async Task<Stream?> OpenReadAsyncCore(string key, CancellationToken cancellationToken)
    {
        var first = await GetRangeAsync(key, 0, PartSize - 1, cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            return null;
        }
        var (head, total) = first.Value;
        if (total <= head.Length)
        {
            return new MemoryStream(head, writable: false);
        }
        // Large: the other ranges in parallel into a temporary file that goes away when the stream is closed.
        var file = new FileStream(Path.Combine(Path.GetTempPath(), "sharpflow-s3-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            file.SetLength(total);
            await RandomAccess.WriteAsync(file.SafeFileHandle, head, 0, cancellationToken).ConfigureAwait(false);
            await Parallel.ForEachAsync(Ranges(head.Length, total), Options(cancellationToken), async (range, token) =>
            {
                var (bytes, _) = await GetRangeAsync(key, range.Start, range.End, token).ConfigureAwait(false)
                    ?? throw new IOException($"Blob '{Describe(key)}' disappeared while it was being read.");
                await RandomAccess.WriteAsync(file.SafeFileHandle, bytes, range.Start, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<bool>> ExistsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        WithCredentialsAsync(() => ExistsAsyncCore(keys, cancellationToken));

    private async Task<IReadOnlyList<bool>> ExistsAsyncCore(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var results = new bool[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), Options(cancellationToken), async (i, token) =>
        {
            try
            {
                await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _location.Bucket, Key = ObjectKey(keys[i]) }, token).ConfigureAwait(false);
                results[i] = true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                results[i] = false;
            }
        }).ConfigureAwait(false);
        return results;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        WithCredentialsAsync(() => ListAsyncCore(prefix, cancellationToken));

    private async Task<IReadOnlyList<string>> ListAsyncCore(string prefix, CancellationToken cancellationToken)
    {
        var folder = ObjectKey(prefix).TrimEnd('/');
        folder = folder.Length == 0 ? "" : folder + "/";
        var names = new SortedSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _location.Bucket,
                Prefix = folder,
                Delimiter = "/",
                ContinuationToken = token,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var common in page.CommonPrefixes ?? [])
            {
                names.Add(common[folder.Length..].TrimEnd('/'));
            }
            foreach (var item in page.S3Objects ?? [])
            {
                names.Add(item.Key[folder.Length..]);
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return names.Where(n => n.Length > 0).ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    /// <summary>Runs one call; "no credentials" becomes one line that says what to set, instead of the SDK's list of every provider it tried.</summary>
    private async Task<T> WithCredentialsAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Amazon.Runtime.AmazonClientException e) when (e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"S3 datastore {Location}: no AWS credentials were found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE with ~/.aws/credentials); "
                + $"an S3-compatible store also needs {S3Location.EndpointVariable}.", e);
        }
    }

    private async Task WithCredentialsAsync(Func<Task> call) => await WithCredentialsAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    private async Task PutAsync(BlobWrite blob, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        if (blob.Length >= MultipartThreshold && ifNoneMatch is null)
        {
            await PutMultipartAsync(blob, cancellationToken).ConfigureAwait(false);
            return;
        }
        using var body = new SegmentStream(blob.Header, blob.Data);
        var request = new PutObjectRequest { BucketName = _location.Bucket, Key = ObjectKey(blob.Key), InputStream = body, AutoCloseStream = false };
        if (ifNoneMatch is not null)
        {
            request.IfNoneMatch = ifNoneMatch;
        }
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task PutMultipartAsync(BlobWrite blob, CancellationToken cancellationToken)
    {
        var key = ObjectKey(blob.Key);
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _location.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        try
        {
            var ranges = Ranges(0, blob.Length).ToArray();
            var etags = new PartETag[ranges.Length];
            await Parallel.ForEachAsync(Enumerable.Range(0, ranges.Length), Options(cancellationToken), async (i, token) =>
            {
                using var part = new SegmentStream(blob.Header, blob.Data).Slice(ranges[i].Start, ranges[i].End - ranges[i].Start + 1);
                var response = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _location.Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = i + 1,
                    InputStream = part,
                }, token).ConfigureAwait(false);
                etags[i] = new PartETag(i + 1, response.ETag);
            }).ConfigureAwait(false);
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _location.Bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = [.. etags],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _location.Bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The whole blob: its first part, then the rest in parallel ranged GETs straight into one array.</summary>
    private async Task<byte[]?> DownloadAsync(string key, CancellationToken cancellationToken)
    {
        var first = await GetRangeAsync(key, 0, PartSize - 1, cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            return null;
        }
        var (head, total) = first.Value;
        if (total <= head.Length)
        {
            return head;
        }
        var all = GC.AllocateUninitializedArray<byte>(checked((int)total));
        head.CopyTo(all, 0);
        await Parallel.ForEachAsync(Ranges(head.Length, total), Options(cancellationToken), async (range, token) =>
            await ReadAgainIfCutOffAsync(key, async () =>
            {
                using var response = await _client.GetObjectAsync(new GetObjectRequest
                {
                    BucketName = _location.Bucket,
                    Key = ObjectKey(key),
                    ByteRange = new ByteRange(range.Start, range.End),
                }, token).ConfigureAwait(false);
                await response.ResponseStream.ReadExactlyAsync(all.AsMemory((int)range.Start, (int)(range.End - range.Start + 1)), token).ConfigureAwait(false);
                return true;
            }, token).ConfigureAwait(false)).ConfigureAwait(false);
        return all;
    }

    /// <summary>Bytes <paramref name="start"/>..<paramref name="end"/> and the blob's total length; null when the blob does not exist.</summary>
    private Task<(byte[] Bytes, long Total)?> GetRangeAsync(string key, long start, long end, CancellationToken cancellationToken) =>
        ReadAgainIfCutOffAsync(key, () => GetRangeOnceAsync(key, start, end, cancellationToken), cancellationToken);

    /// <summary>Runs <paramref name="read"/> (a GET and the read of its body) again while its body is cut off, up to <see cref="BodyReadAttempts"/> times.</summary>
    private async Task<T> ReadAgainIfCutOffAsync<T>(string key, Func<Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (IOException e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt == BodyReadAttempts)
                {
                    throw new IOException($"Blob '{Describe(key)}' could not be read: the download broke off before the end on all {attempt} attempts ({e.Message}).", e);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100 << attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(byte[] Bytes, long Total)?> GetRangeOnceAsync(string key, long start, long end, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _location.Bucket,
                Key = ObjectKey(key),
                ByteRange = new ByteRange(start, end),
            }, cancellationToken).ConfigureAwait(false);
            var length = response.ContentLength;
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)length));
            await response.ResponseStream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            var total = response.ContentRange is { } range && range.LastIndexOf('/') is var slash and >= 0 && long.TryParse(range[(slash + 1)..], out var size)
                ? size
                : length;
            return (bytes, total);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return ([], 0); // an empty blob
        }
    }

    private static IEnumerable<(long Start, long End)> Ranges(long from, long total)
    {
        for (var start = from; start < total; start += PartSize)
        {
            yield return (start, Math.Min(total, start + PartSize) - 1);
        }
    }

    private ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken };

    private string ObjectKey(string key) => _location.Prefix.Length == 0 ? key : $"{_location.Prefix}/{key}";

    private string Describe(string key) => $"{Location}/{key}";
}
