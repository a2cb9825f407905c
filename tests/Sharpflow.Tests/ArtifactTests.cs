using Sharpflow.Artifacts;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

public class ArtifactTests
{
    [Fact]
    public async Task EveryBuiltInKindRoundTrips()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ArtifactKindsFlow>();
        Assert.True(run.Successful, run.Error);
        var end = run.Data;

        Assert.Equal([1.5f, -2.25f, float.NaN], end["Weights"].Get<float[]>());
        Assert.Equal("raw", end["Weights"].Entry.Serializer);
        Assert.Equal(12, end["Weights"].Size);
        Assert.Equal([1, 2, 3], end["Counts"].Get<int[]>());
        Assert.Equal(0.125, end["Loss"].Get<double>());
        Assert.True(end["Flag"].Get<bool>());
        Assert.Equal(12.34m, end["Price"].Get<decimal>());
        Assert.Equal("héllo", end["Text"].Get<string>());
        Assert.Null(end["Missing"].Value);
        Assert.Equal(new Metrics("auc", 0.91, [0.1, 0.5]).Name, end["Metrics"].Get<Metrics>().Name);
        Assert.Equal([0.1, 0.5], end["Metrics"].Get<Metrics>().Curve);
        Assert.Equal("json", end["Metrics"].Entry.Serializer);
        Assert.Equal(2, end["Vocabulary"].Get<Dictionary<string, int>>()["b"]);
        Assert.Equal([2, 3], end["Nested"].Get<List<List<int>>>()[1]);
        Assert.Equal((7, "seven"), end["Pair"].Get<(int, string)>());
        Assert.IsType<Metrics>(end["Metrics"].Value);
    }

    [Fact]
    public async Task TransientMembersAreNeverPersisted()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ArtifactKindsFlow>();

        Assert.False(run.Data.Has("Http"));
        Assert.False(run.Data.Has("Scratch"));
    }

    [Fact]
    public async Task CurrentDescribesTheRunningTask()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<ArtifactKindsFlow>(options: store.Options() with { User = "ada" });

        var start = run["Start"].Task;
        Assert.Equal($"ArtifactKindsFlow|Start|{start.Id}|ada|user:ada|none|ArtifactKindsFlow/{run.Id}/Start/{start.Id}", start["CurrentFacts"].Get<string>());
    }

    [Fact]
    public async Task AnUnserializableArtifactFailsTheTaskWithTheFix()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<BadArtifactFlow>();

        Assert.Equal(RunStatus.Failed, run.Status);
        var failed = run["Open"].Task;
        Assert.Equal(typeof(ArtifactSerializationException).FullName, failed.Exception!.Type);
        Assert.Contains("Flow 'BadArtifactFlow', step 'Open': artifact 'Buffer' of type 'System.IO.MemoryStream' cannot be saved", failed.Exception.Message);
        Assert.Contains("[Transient]", failed.Exception.Message);
        Assert.Contains("[ArtifactSerializer(typeof(...))]", failed.Exception.Message);
        Assert.Equal("kept", run["Start"].Task["Before"].Get<string>());
    }

    [Fact]
    public async Task AUserSerializerRegisteredOnTheFlowIsUsed()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<CustomSerializerFlow>();
        Assert.True(run.Successful, run.Error);

        var corner = run.Data["Corner"];
        Assert.Equal("point", corner.Entry.Serializer);
        var error = Assert.Throws<ArtifactSerializationException>(() => corner.Get<Point>());
        Assert.Contains("register it", error.Message);
        var withSerializer = new Flow(nameof(CustomSerializerFlow), store.Client with { Serializers = new SerializerRegistry().Register(new PointSerializer()) });
        Assert.Equal(4, withSerializer.LatestRun!.Data["Corner"].Get<Point>().Y);
    }

    [Fact]
    public async Task JoinMergesEqualValuesAndExcludesConflicts()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<MergeFlow>();

        Assert.True(run.Successful, run.Error);
        Assert.Equal("same", run.Data["Common"].Get<string>());
        Assert.Equal(2, run.Data["Score"].Get<int>());
        Assert.False(run["Join"].Task.Has("Note"));
    }

    [Fact]
    public async Task JoinMergesAnArtifactOnlyOneBranchStored()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<OneBranchMergeFlow>();

        Assert.True(run.Successful, run.Error);
        Assert.False(run["LeavesX"].Task.Has("X"));
        Assert.Equal("set on one branch", run["LastJoin"].Task["X"].Get<string>());
        Assert.Equal(["from a branch"], run["LastJoin"].Task["Notes"].Get<List<string>>());
        // The join's own instance drew another Tag; the inputs agree on theirs, and that is what merges.
        Assert.Equal(run["SetsX"].Task["Tag"].Get<string>(), run["LastJoin"].Task["Tag"].Get<string>());
    }

    [Fact]
    public async Task JoinIncludesAnArtifactOnlyOneBranchStored()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<OneBranchMergeFlow>(new Dictionary<string, object?> { ["mode"] = "include" });

        Assert.True(run.Successful, run.Error);
        Assert.Equal("set on one branch", run["LastJoin"].Task["X"].Get<string>());
    }

    [Fact]
    public async Task JoinRefusesToIncludeAnArtifactNoInputHasNamingIt()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<OneBranchMergeFlow>(new Dictionary<string, object?> { ["mode"] = "include-missing" });

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("step 'LastJoin': MergeArtifacts(include: ...) names 'Y', which no input has", run.Error);
    }

    [Fact]
    public async Task JoinKeepsWhatItSetBeforeMerging()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<OneBranchMergeFlow>(new Dictionary<string, object?> { ["mode"] = "join-sets" });

        Assert.True(run.Successful, run.Error);
        Assert.Equal("the join's own", run["LastJoin"].Task["X"].Get<string>());
        Assert.Equal("the join's own", run["End"].Task["X"].Get<string>());
        Assert.Equal(["the join's own"], run["LastJoin"].Task["Notes"].Get<List<string>>()); // changed in place, still the join's
    }

    [Fact]
    public async Task JoinRefusesToMergeConflictingValues()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<MergeFlow>(new Dictionary<string, object?> { ["mode"] = "conflict" });

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("artifacts 'Score', 'Note' have different values in the join's inputs", run.Error);
    }

    [Fact]
    public async Task JoinMergesOnlyIncludedArtifacts()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<MergeFlow>(new Dictionary<string, object?> { ["mode"] = "include" });

        Assert.True(run.Successful, run.Error);
        Assert.Equal("same", run.Data["Common"].Get<string>());
        Assert.False(run.Data.Has("Score"));
    }
}

/// <summary>Text that is not well-formed UTF-16 is kept exactly or refused, never silently changed.</summary>
public class LoneSurrogateTests
{
    private static readonly Artifacts.ArtifactCodec Codec = new(Artifacts.SerializerRegistry.ForFlow(typeof(ArtifactKindsFlow)));

    [Theory]
    [InlineData("cut here \uD83D")]
    [InlineData("\uDE00 starts low")]
    [InlineData("pair 😀 then lone \uD800 and more")]
    [InlineData("héllo, well formed 😀")]
    public void AStringArtifactReadsBackExactly(string text)
    {
        var encoded = Codec.Encode("F", "S", "Text", text);
        var decoded = Codec.Decode("F", "S", "Text", encoded.Serializer, encoded.TypeName, encoded.Data, typeof(string));
        Assert.Equal(text, decoded);
        Assert.Equal(text.Length, ((string)decoded!).Length);
    }

    [Fact]
    public void WellFormedTextKeepsItsUtf8Bytes() =>
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("héllo 😀"), Codec.Encode("F", "S", "Text", "héllo 😀").Data.ToArray());

    [Fact]
    public void AJsonArtifactHoldingALoneSurrogateIsRefusedWithWhereAndWhatToDo()
    {
        var error = Assert.Throws<Artifacts.ArtifactSerializationException>(() => Codec.Encode("F", "S", "Lines", new List<string> { "fine", "cut \uD83D" }));
        Assert.Contains("artifact 'Lines'", error.Message);
        Assert.Contains("lone UTF-16 surrogate (U+D83D at index 4)", error.Message);
        Assert.Throws<Artifacts.ArtifactSerializationException>(() => Codec.Encode("F", "S", "Keys", new Dictionary<string, int> { ["\uDC00"] = 1 }));
        Assert.Equal(["fine", "ok 😀"], (List<string>)Codec.Decode("F", "S", "Lines", "json", Artifacts.TypeNames.Of(typeof(List<string>)),
            Codec.Encode("F", "S", "Lines", new List<string> { "fine", "ok 😀" }).Data, null)!);
    }
}

/// <summary>Deep and cyclic object graphs: deep ones are saved, cycles are refused with their path.</summary>
public class DeepArtifactTests
{
    public sealed class Node
    {
        public int Value;
        public Node? Next;
    }

    public sealed record Tree(string Split, Tree? Left, Tree? Right);

    private static readonly Artifacts.ArtifactCodec Codec = new(Artifacts.SerializerRegistry.ForFlow(typeof(ArtifactKindsFlow)));

    private static Node Chain(int length)
    {
        var head = new Node();
        var node = head;
        for (var i = 1; i < length; i++)
        {
            node = node.Next = new Node { Value = i };
        }
        return head;
    }

    [Fact]
    public void ALinkedListOfHundredsOfNodesAndADeepTreeRoundTrip()
    {
        var list = Codec.Encode("F", "S", "List", Chain(200));
        var back = (Node)Codec.Decode("F", "S", "List", list.Serializer, list.TypeName, list.Data, null)!;
        var count = 0;
        for (var node = back; node is not null; node = node.Next)
        {
            Assert.Equal(count++, node.Value);
        }
        Assert.Equal(200, count);

        Tree tree = new("leaf", null, null);
        for (var i = 0; i < 300; i++)
        {
            tree = new Tree($"x{i} < 0.5", tree, new Tree("leaf", null, null));
        }
        var saved = Codec.Encode("F", "S", "Model", tree);
        Assert.Equal(tree.Split, ((Tree)Codec.Decode("F", "S", "Model", saved.Serializer, saved.TypeName, saved.Data, null)!).Split);
    }

    [Fact]
    public void ACycleIsRefusedWithItsPathAndTooDeepIsSaidSo()
    {
        var head = Chain(3);
        head.Next!.Next!.Next = head.Next;
        var cycle = Assert.Throws<Artifacts.ArtifactSerializationException>(() => Codec.Encode("F", "S", "List", head));
        Assert.Contains("artifact 'List'", cycle.Message);
        Assert.Contains("refers back to itself (value.Next.Next.Next)", cycle.Message);

        var deep = Assert.Throws<Artifacts.ArtifactSerializationException>(() => Codec.Encode("F", "S", "List", Chain(1200)));
        Assert.Contains("nested more than 1000 levels deep", deep.Message);
        Assert.DoesNotContain("refers back", deep.Message);
    }
}

/// <summary>Artifacts too large to hold, and steps that run out of memory: the task fails with what and why; the run is recorded.</summary>
public class OutOfMemoryTests
{
    [Fact]
    public async Task AnArrayOverTwoGigabytesIsSavedInChunksAndReadBackWholeAfterAnInPlaceEdit()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<LargeArrayFlow>();
        Assert.Equal(RunStatus.Succeeded, run.Status);

        // End read the edited array back whole: first, middle, second-to-last and the edited last value.
        var expected = LargeArrayFlow.ValueAt(0) + LargeArrayFlow.ValueAt(LargeArrayFlow.Length / 2) + LargeArrayFlow.ValueAt(LargeArrayFlow.Length - 2) - 1f;
        Assert.Equal(expected, run["End"].Task["Checksum"].Get<double>(), 6);

        var original = run["Start"].Task["Weights"];
        var edited = run["Scale"].Task["Weights"];
        Assert.Equal(2_160_000_000L, original.Size);
        Assert.Equal(3, original.Entry.Chunks!.Count); // 1 GiB, 1 GiB and the rest
        Assert.NotEqual(original.Hash, edited.Hash); // the in-place edit was saved
        Assert.Equal(original.Entry.Chunks.Take(2), edited.Entry.Chunks!.Take(2)); // and only its last chunk is new
        Assert.Equal(edited.Hash, run["End"].Task["Weights"].Hash); // End kept what it inherited

        var loaded = edited.Get<float[]>();
        Assert.Equal(LargeArrayFlow.Length, loaded.Length);
        Assert.Equal(LargeArrayFlow.ValueAt(1L << 28), loaded[1 << 28]); // the first value of the second chunk
        Assert.Equal(-1f, loaded[^1]);
    }

    [Fact]
    public async Task AChunkedArrayWhoseChunkIsDamagedIsRefusedNamingTheArtifact()
    {
        using var store = new TempDatastore();
        var blobs = new ContentAddressedStore(new LocalBlobStore(store.Root), "F");
        var artifacts = new Artifacts.ArtifactStore(blobs, new Artifacts.ArtifactCodec(new Artifacts.SerializerRegistry()), "F");
        var index = await artifacts.SaveAsync([("Mask", artifacts.Codec.Encode("F", "S", "Mask", new bool[(1 << 30) + 5]))]);
        var entry = index.Artifacts["Mask"];
        Assert.Equal(2, entry.Chunks!.Count);

        // The index claims a chunk list that is not the one its hash was made from.
        var swapped = entry with { Chunks = [entry.Chunks[1], entry.Chunks[0]] };
        var error = await Assert.ThrowsAsync<BlobIntegrityException>(() => artifacts.LoadValueAsync("S", "Mask", swapped, typeof(bool[])));
        Assert.Contains("artifact 'Mask'", error.Message);

        // A chunk's file damaged on disk.
        var file = Directory.GetFiles(store.Root, entry.Chunks[1] + "*", SearchOption.AllDirectories).Single();
        await using (var stream = File.OpenWrite(file))
        {
            stream.Seek(-1, SeekOrigin.End);
            stream.WriteByte(0xFF);
        }
        await Assert.ThrowsAsync<BlobIntegrityException>(() => artifacts.LoadValueAsync("S", "Mask", entry, typeof(bool[])));
    }

    [Fact]
    public async Task ASerializerThatRunsOutOfMemoryFailsTheTaskNamingTheArtifact()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<TooLargeArtifactFlow>();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("artifact 'Model'", run.Error);
        Assert.Contains("too large to save", run.Error);
    }

    [Fact]
    public async Task AStepThatRunsOutOfMemoryFailsItsTaskAndTheRunIsRecorded()
    {
        using var store = new TempDatastore();
        var result = await ChildProcess.DotnetAsync(store.Root, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x10000000" },
            ChildProcess.TestFlowsDll, "HungryFlow", "run", "--datastore", store.Root, "--allocate-mb", "512");
        Assert.Equal(1, result.ExitCode); // the run failed; the process did not die

        var run = new Client.Flow("HungryFlow", store.Client).LatestRun!;
        Assert.Equal(RunStatus.Failed, run.Status);
        var task = run["Start"].Task;
        Assert.Equal("System.OutOfMemoryException", task.Exception!.Type);
        Assert.Contains("allocating 512 MB", task.Stdout);
    }
}
