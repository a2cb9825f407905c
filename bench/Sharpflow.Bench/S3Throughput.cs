using Sharpflow.S3;
using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3;
using ListObjectsV2Request = Amazon.S3.Model.ListObjectsV2Request;
using Amazon.S3.Transfer;
using Sharpflow.Bench;
using Sharpflow.Client;
using Sharpflow.Execution;
using Sharpflow.Datastore;
using Sharpflow.Testing;

/// <summary>
/// S3 throughput of the datastore against the AWS SDK's TransferUtility, both on the same S3-compatible server on
/// loopback (s3rver from tests/s3-server): 1,000 small blobs, and one large blob (1 GB unless SHARPFLOW_BENCH_S3_MB says).
/// </summary>
internal static class S3Throughput
{
    private const string Bucket = "sharpflow-bench";

    public static async Task ReportAsync(string repositoryRoot, int repetitions)
    {
        var folder = Directory.CreateTempSubdirectory("sharpflow-bench-s3-").FullName;
        try
        {
            await using var server = await S3ServerProcess.StartAsync(Path.Combine(repositoryRoot, "tests", "s3-server"), Path.Combine(folder, "data"), Bucket);
            Environment.SetEnvironmentVariable(S3Location.EndpointVariable, server.Endpoint);
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
            using var client = S3Location.CreateClient();
            using var store = new S3BlobStore(new S3Location(Bucket, "bench"), client);
            using var transfer = new TransferUtility(client);

            var small = Enumerable.Range(0, 1000).Select(i => RandomNumberGenerator.GetBytes(4096)).ToArray();
            var smallMb = small.Sum(b => b.Length) / 1e6;
            var ours = new List<double>();
            var theirs = new List<double>();
            var oursRead = new List<double>();
            var theirsRead = new List<double>();
            for (var r = 0; r < repetitions; r++)
            {
                var keys = small.Select((_, i) => $"small{r}/{i:D4}").ToArray();
                ours.Add(await SecondsAsync(() => store.SaveAsync(keys.Select((k, i) => new BlobWrite(k, small[i])).ToArray())));
                oursRead.Add(await SecondsAsync(() => store.LoadAsync(keys)));
                theirs.Add(await SecondsAsync(async () =>
                {
                    for (var i = 0; i < small.Length; i++)
                    {
                        await transfer.UploadAsync(new MemoryStream(small[i]), Bucket, $"tu-small{r}/{i:D4}");
                    }
                }));
                theirsRead.Add(await SecondsAsync(async () =>
                {
                    for (var i = 0; i < small.Length; i++)
                    {
                        await using var stream = await transfer.OpenStreamAsync(Bucket, $"tu-small{r}/{i:D4}");
                        await stream.CopyToAsync(Stream.Null);
                    }
                }));
            }
            Line("1,000 x 4 KB: write", smallMb, ours, theirs);
            Line("1,000 x 4 KB: read", smallMb, oursRead, theirsRead);

            var megabytes = int.TryParse(Environment.GetEnvironmentVariable("SHARPFLOW_BENCH_S3_MB"), out var mb) ? mb : 1024;
            var large = GC.AllocateUninitializedArray<byte>(megabytes * 1024 * 1024);
            RandomNumberGenerator.Fill(large.AsSpan(0, Math.Min(large.Length, 64 * 1024 * 1024)));
            ours.Clear(); theirs.Clear(); oursRead.Clear(); theirsRead.Clear();
            for (var r = 0; r < repetitions; r++)
            {
                ours.Add(await SecondsAsync(() => store.SaveAsync([new BlobWrite($"large{r}", large)])));
                oursRead.Add(await SecondsAsync(async () =>
                {
                    await using var stream = (await store.OpenReadAsync($"large{r}"))!;
                    await stream.CopyToAsync(Stream.Null);
                }));
                theirs.Add(await SecondsAsync(() => transfer.UploadAsync(new MemoryStream(large), Bucket, $"bench/tu-large{r}")));
                var target = Path.Combine(folder, $"tu-large{r}");
                theirsRead.Add(await SecondsAsync(() => transfer.DownloadAsync(new TransferUtilityDownloadRequest { BucketName = Bucket, Key = $"bench/tu-large{r}", FilePath = target })));
                File.Delete(target);
            }
            Line($"1 x {megabytes} MB: write", large.Length / 1e6, ours, theirs);
            Line($"1 x {megabytes} MB: read", large.Length / 1e6, oursRead, theirsRead);

            await ListingAsync(client, repetitions);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A client listing a 2,000-way step of a run on the bucket and reading one small artifact per task: from the step's
    /// task lists (two reads), then with the lists deleted (one read per task record), as a run before task lists was read.
    /// </summary>
    private static async Task ListingAsync(IAmazonS3 client, int repetitions)
    {
        const int width = 2000;
        var root = $"s3://{Bucket}/listing";
        var run = await new Runner<WideForeachFlow>(new RunnerOptions { DatastoreRoot = root, MaxNumSplits = width, MaxWorkers = 8 }).RunAsync(new Dictionary<string, object?> { ["Width"] = width });
        if (!run.Successful)
        {
            throw new InvalidOperationException($"the {width}-way run on S3 failed: {run.Error}");
        }
        double List()
        {
            var clock = Stopwatch.StartNew();
            var sum = new Flow(nameof(WideForeachFlow), new ClientOptions { DatastoreRoot = root, Namespace = null })[run.Id]["Body"].Tasks.Sum(t => (long)t["Value"].Get<int>());
            if (sum != (long)width * (width - 1) / 2)
            {
                throw new InvalidOperationException("the listing read wrong values");
            }
            return clock.Elapsed.TotalMilliseconds;
        }
        var fromLists = Enumerable.Range(0, repetitions).Select(_ => List()).ToList();
        var lists = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = $"listing/{nameof(WideForeachFlow)}/{run.Id}/_meta/Body.tasks." });
        foreach (var list in lists.S3Objects)
        {
            await client.DeleteObjectAsync(Bucket, list.Key);
        }
        var taskByTask = Enumerable.Range(0, repetitions).Select(_ => List()).ToList();
        Console.WriteLine($"S3 list a {width:N0}-task step + one artifact each: from its {lists.S3Objects.Count} task lists {BenchFigures.Median(fromLists),8:F1} ms   "
            + $"record by record {BenchFigures.Median(taskByTask),8:F1} ms   ratio {BenchFigures.Median(taskByTask) / BenchFigures.Median(fromLists),5:F2}");
    }

    private static async Task<double> SecondsAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }

    private static void Line(string scenario, double megabytes, List<double> ours, List<double> transferUtility)
    {
        var oursRate = megabytes / BenchFigures.Median(ours);
        var theirRate = megabytes / BenchFigures.Median(transferUtility);
        Console.WriteLine($"S3 {scenario,-26} datastore {oursRate,8:F1} MB/s   TransferUtility {theirRate,8:F1} MB/s   ratio {oursRate / theirRate,5:F2}");
    }
}
