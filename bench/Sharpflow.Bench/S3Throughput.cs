using Sharpflow.S3;
using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Transfer;
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
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
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
