using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class DatastoreTests
{
    [Fact]
    public async Task EqualContentIsStoredOnceAndCompressed()
    {
        using var store = new TempDatastore();
        var cas = new ContentAddressedStore(new LocalBlobStore(store.Root), "F");
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("sharpflow artifacts compress well. ", 30_000)));

        var refs = await cas.SaveBlobsAsync([text, text.ToArray()]);
        await cas.SaveBlobsAsync([text]);

        Assert.Equal(refs[0], refs[1]);
        var files = Directory.GetFiles(Path.Combine(store.Root, "F", "data"), "*", SearchOption.AllDirectories);
        var file = Assert.Single(files);
        Assert.EndsWith(refs[0].Hash, file);
        Assert.True(new FileInfo(file).Length < text.Length / 20, $"stored {new FileInfo(file).Length} bytes for {text.Length}");
        Assert.Equal(text, (await new ContentAddressedStore(new LocalBlobStore(store.Root), "F").LoadBlobsAsync([refs[0].Hash]))[0]);
    }

    [Fact]
    public async Task IncompressibleContentIsStoredRaw()
    {
        using var store = new TempDatastore();
        var cas = new ContentAddressedStore(new LocalBlobStore(store.Root), "F");
        var noise = new byte[1 << 20];
        new Random(42).NextBytes(noise);

        var blob = (await cas.SaveBlobsAsync([noise]))[0];

        var file = Directory.GetFiles(Path.Combine(store.Root, "F", "data"), blob.Hash, SearchOption.AllDirectories).Single();
        Assert.Equal(noise.Length + 13, new FileInfo(file).Length);
    }

    [Fact]
    public async Task ACorruptedBlobIsDetectedAndNamed()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ArtifactKindsFlow>();
        var weights = run.Data["Embedding"];
        var file = Directory.GetFiles(Path.Combine(store.Root, "ArtifactKindsFlow", "data"), weights.Hash, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var fresh = new Flow("ArtifactKindsFlow", store.Client)[run.Id].Data["Embedding"];
        var error = Assert.Throws<BlobIntegrityException>(() => fresh.Get<double[]>());
        Assert.Contains(weights.Hash, error.Message);
        Assert.Contains("is corrupted", error.Message);
    }

    [Fact]
    public async Task ARunThatProducesTheValueOfADamagedBlobWritesItAgainInsteadOfPointingAtIt()
    {
        using var store = new TempDatastore();
        var first = await store.RunAsync<ArtifactKindsFlow>();
        var weights = first.Data["Embedding"];
        var file = Directory.GetFiles(Path.Combine(store.Root, "ArtifactKindsFlow", "data"), weights.Hash, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x01; // one flipped bit, same size
        File.WriteAllBytes(file, bytes);

        var second = await store.RunAsync<ArtifactKindsFlow>(); // saves the same value: it must not trust the damaged blob

        Assert.True(second.Successful, second.Error);
        var expected = new Flow("ArtifactKindsFlow", store.Client)[second.Id].Data["Embedding"];
        Assert.Equal(weights.Hash, expected.Hash);
        Assert.Equal(expected.Get<double[]>(), new Flow("ArtifactKindsFlow", store.Client)[first.Id].Data["Embedding"].Get<double[]>()); // repaired for both runs
    }

    [Fact]
    public async Task WritesLeaveNoTemporaryFilesAndKeysCannotEscapeTheRoot()
    {
        using var store = new TempDatastore();
        await store.RunAsync<ValueSemanticsFlow>();

        Assert.Empty(Directory.GetFiles(store.Root, ".tmp-*", SearchOption.AllDirectories));
        var blobs = new LocalBlobStore(store.Root);
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.SaveAsync([new BlobWrite("../outside", new byte[1])]));
        Assert.False(await blobs.TryCreateAsync(new BlobWrite(Directory.GetFiles(store.Root, "run.json", SearchOption.AllDirectories)[0][(store.Root.Length + 1)..], new byte[1])));
    }

    [Fact]
    public async Task AFolderRemovedAfterAWriteIsCreatedAgainByTheNextWriteIntoIt()
    {
        using var store = new TempDatastore();
        var blobs = new LocalBlobStore(store.Root);
        await blobs.SaveAsync([new BlobWrite("Flow/1/_meta/run.json", "{}"u8.ToArray())]);
        Directory.Delete(Path.Combine(store.Root, "Flow", "1"), recursive: true); // a run removed while the store is open

        await blobs.SaveAsync([new BlobWrite("Flow/1/_meta/tags.json", "[]"u8.ToArray())]);
        Assert.True(await blobs.TryCreateAsync(new BlobWrite("Flow/1/_meta/run.json", "{}"u8.ToArray())));

        Assert.Equal(["[]"], (await blobs.LoadAsync(["Flow/1/_meta/tags.json"]))[0] is { } tags ? [System.Text.Encoding.UTF8.GetString(tags)] : []);
    }

    [Fact]
    public async Task ATaskThatSucceededAtOnceIsOneRecordFileAndRecordsWrittenTheOlderWayAreStillRead()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ValueSemanticsFlow>();
        var metas = Directory.GetDirectories(store.Root, "_meta", SearchOption.AllDirectories).Where(d => !d.EndsWith(Path.Combine(run.Id, "_meta"), StringComparison.Ordinal)).ToArray();
        Assert.Equal(7, metas.Length);
        Assert.All(metas, meta => Assert.Equal(["task.json"], Directory.GetFiles(meta).Select(Path.GetFileName)));
        var before = new Flow("ValueSemanticsFlow", store.Client)[run.Id].Steps.SelectMany(s => s.Tasks).ToDictionary(t => t.Pathspec, t => t.Artifacts.ToDictionary(a => a.Name, a => a.Hash));

        // The layout of earlier versions: the index and the attempt's record beside task.json.
        foreach (var meta in metas)
        {
            var record = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(meta, "task.json")))!.AsObject();
            var index = record["artifacts"]!.ToJsonString();
            record.Remove("artifacts");
            var attempt = record["attempt"]!.GetValue<int>();
            File.WriteAllText(Path.Combine(meta, $"{attempt}.artifacts.json"), index);
            File.WriteAllText(Path.Combine(meta, $"{attempt}.attempt.json"), record.ToJsonString());
            File.WriteAllText(Path.Combine(meta, "task.json"), record.ToJsonString());
        }
        var older = new Flow("ValueSemanticsFlow", store.Client)[run.Id];
        Assert.Equal(before, older.Steps.SelectMany(s => s.Tasks).ToDictionary(t => t.Pathspec, t => t.Artifacts.ToDictionary(a => a.Name, a => a.Hash)));
        Assert.All(older.Steps.SelectMany(s => s.Tasks), t => Assert.Single(t.Attempts));
        Assert.Equal([0, 1, 2, 3], older["Start"].Task["Items"].Get<List<int>>());
    }

    [Fact]
    public async Task ListingARunReadsNoArtifactBytes()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ValueSemanticsFlow>();
        var counting = new CountingBlobStore(store.Root);
        var flow = new Flow("ValueSemanticsFlow", store.Client with { BlobStore = counting });

        var listed = flow[run.Id];
        var tasks = listed.Steps.SelectMany(s => s.Tasks).ToArray();
        var names = tasks.SelectMany(t => t.Artifacts.Select(a => a.Name)).Distinct().ToArray();

        Assert.Equal(7, tasks.Length);
        Assert.Contains("Shared", names);
        Assert.DoesNotContain(counting.Loaded, key => key.Contains("/data/", StringComparison.Ordinal));
        Assert.Equal([0, 1, 2, 3], tasks[0]["Items"].Get<List<int>>()); // a small value is kept in the task's record: still no blob read
        Assert.DoesNotContain(counting.Loaded, key => key.Contains("/data/", StringComparison.Ordinal));
        Assert.Equal(tasks.Length, counting.Loaded.Count(key => key.EndsWith("/task.json", StringComparison.Ordinal))); // one file per task
    }
}
