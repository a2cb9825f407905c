using Sharpflow.S3;
using System.Security.Cryptography;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Fixtures.Good;

namespace Sharpflow.Tests;

/// <summary>The S3 datastore against a real S3-compatible server on loopback (<see cref="S3Server"/>).</summary>
[Collection(S3Collection.Name)]
public class S3DatastoreTests(S3Server server)
{
    [Fact]
    public async Task TheS3BlobStoreSavesLoadsListsAndCreatesOnce()
    {
        using var store = new S3BlobStore(S3Location.Parse(S3Server.NewRoot()));
        var small = Enumerable.Range(0, 50).Select(i => new BlobWrite($"F/data/a{i % 5}/a{i % 5}{i:D4}", BitConverter.GetBytes(i)) { Header = "h"u8.ToArray() }).ToArray();
        await store.SaveAsync(small);

        var loaded = await store.LoadAsync([.. small.Select(b => b.Key), "F/data/zz/missing"]);
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal([(byte)'h', .. BitConverter.GetBytes(i)], loaded[i]!));
        Assert.Null(loaded[50]);
        Assert.Equal([true, false], await store.ExistsAsync([small[0].Key, "F/nope"]));
        Assert.Equal(["a0", "a1", "a2", "a3", "a4"], await store.ListAsync("F/data"));
        Assert.Equal(["data"], await store.ListAsync("F"));

        Assert.True(await store.TryCreateAsync(new BlobWrite("F/run/_meta/run.json", "first"u8.ToArray())));
        Assert.False(await store.TryCreateAsync(new BlobWrite("F/run/_meta/run.json", "second"u8.ToArray())));
        Assert.Equal("first"u8.ToArray(), (await store.LoadAsync(["F/run/_meta/run.json"]))[0]);
    }

    [Fact]
    public async Task ABlobWhoseDownloadIsCutOffMidwayIsReadAgainAndComesBackWhole()
    {
        var root = S3Server.NewRoot();
        using var direct = new S3BlobStore(S3Location.Parse(root));
        var data = RandomNumberGenerator.GetBytes(100_000);
        await direct.SaveAsync([new BlobWrite("F/data/cc/ccut", data)]);

        await using var proxy = new CuttingProxy(server.Endpoint, cut: "ccut");
        var client = new Amazon.S3.AmazonS3Client(new Amazon.S3.AmazonS3Config { ServiceURL = proxy.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        using var throughProxy = new S3BlobStore(S3Location.Parse(root), client);
        var loaded = (await throughProxy.LoadAsync(["F/data/cc/ccut"]))[0];

        Assert.Equal(1, proxy.Cuts); // the first download ended after its headers and 100 bytes of the blob
        Assert.Equal(data, loaded);
    }

    [Fact]
    public async Task LargeBlobsMoveInPartsAndComeBackIntact()
    {
        using var store = new S3BlobStore(S3Location.Parse(S3Server.NewRoot()));
        var data = RandomNumberGenerator.GetBytes(S3BlobStore.MultipartThreshold + 5_000_123);
        await store.SaveAsync([new BlobWrite("F/data/bb/bbig", data) { Header = new byte[] { 1, 2, 3 } }]);

        var loaded = (await store.LoadAsync(["F/data/bb/bbig"]))[0]!;
        Assert.Equal(data.Length + 3, loaded.Length);
        Assert.True(loaded.AsSpan(3).SequenceEqual(data));
        await using var stream = (await store.OpenReadAsync("F/data/bb/bbig"))!;
        Assert.Equal(data.Length + 3, stream.Length);
        var copy = new byte[stream.Length];
        await stream.ReadExactlyAsync(copy);
        Assert.True(copy.AsSpan(3).SequenceEqual(data));
    }

    [Fact]
    public async Task AFlowRunsResumesAndIsReadBackThroughS3()
    {
        var root = S3Server.NewRoot();
        var options = new RunnerOptions { DatastoreRoot = root, MaxWorkers = 4 };
        var run = await new Runner<ForeachFlow>(options).RunAsync();
        Assert.True(run.Successful, run.Error);

        // Another client, as another process would: everything comes back from the bucket.
        var read = new Flow(nameof(ForeachFlow), new ClientOptions { DatastoreRoot = root }).LatestRun!;
        Assert.Equal(run.Id, read.Id);
        Assert.Equal("2,4,6", read.Data["Result"].Get<string>());
        Assert.Equal(3, read["Body"].Tasks.Count);

        var resumed = await new Runner<ForeachFlow>(options).ResumeAsync(new ResumeOptions { Step = "Join" });
        Assert.True(resumed.Successful, resumed.Error);
        Assert.All(resumed["Body"].Tasks, t => Assert.NotNull(t.Origin));
        Assert.Equal("2,4,6", resumed.Data["Result"].Get<string>());
    }

    [Fact]
    public async Task AWideStepIsListedFromTheBucketWithOneReadInsteadOfOnePerTask()
    {
        var root = S3Server.NewRoot();
        var run = await new Runner<Flows.WideFlow>(new RunnerOptions { DatastoreRoot = root, MaxWorkers = 4, MaxNumSplits = 120 }).RunAsync(new Dictionary<string, object?> { ["Width"] = 120 });
        Assert.True(run.Successful, run.Error);

        var remote = new CountingBlobStore(new S3BlobStore(S3Location.Parse(root)));
        var tasks = new Flow(nameof(Flows.WideFlow), new ClientOptions { BlobStore = remote, Namespace = null })[run.Id]["Body"].Tasks;
        Assert.Equal(Enumerable.Range(0, 120).Select(i => i * 2), tasks.Select(t => t["Value"].Get<int>()).Order());
        Assert.Equal([$"{nameof(Flows.WideFlow)}/{run.Id}/_meta/Body.tasks.0.json"], remote.Loaded.Where(k => k.Contains("/Body", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheCliRunsAFlowOnAnS3Datastore()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(work.Root, new Dictionary<string, string> { [S3Location.EndpointVariable] = server.Endpoint },
            Path.Combine(AppContext.BaseDirectory, "HelloFlow.dll"), "run", "--datastore", root);
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(work.Root)); // nothing written locally
        var run = new Flow("HelloFlow", new ClientOptions { DatastoreRoot = root, Namespace = null }).LatestRun!;
        Assert.True(run.Successful, run.Error);
    }

    [Fact]
    public async Task ContentAddressedBlobsAreReadFromTheRemoteOnce()
    {
        var root = S3Server.NewRoot();
        var remote = new CountingBlobStore(new S3BlobStore(S3Location.Parse(root)));
        var cache = new ReadThroughCache(remote, Directory.CreateTempSubdirectory("sharpflow-cache-").FullName);
        await cache.SaveAsync([new BlobWrite("F/data/cd/cdef01", "artifact"u8.ToArray()), new BlobWrite("F/1/_meta/run.json", "{}"u8.ToArray())]);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("artifact"u8.ToArray(), (await cache.LoadAsync(["F/data/cd/cdef01"]))[0]);
            Assert.Equal("{}"u8.ToArray(), (await cache.LoadAsync(["F/1/_meta/run.json"]))[0]);
        }
        Assert.Single(remote.Loaded, k => k == "F/data/cd/cdef01"); // immutable: cached after the first read
        Assert.Equal(3, remote.Loaded.Count(k => k == "F/1/_meta/run.json")); // metadata: always fresh
    }
}
