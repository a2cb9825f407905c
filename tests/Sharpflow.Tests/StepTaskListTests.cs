using System.Text.Json;
using System.Text.Json.Nodes;
using Sharpflow.Client;
using Sharpflow.Datastore;
using Sharpflow.Execution;
using Sharpflow.Metadata;
using Sharpflow.Tests.Flows;

namespace Sharpflow.Tests;

/// <summary>
/// A succeeded run lists each wide step's task records in parts (<c>_meta/&lt;step&gt;.tasks.&lt;n&gt;.json</c>), so a
/// client lists the step with one read per thousand tasks instead of one per task; what the list lacks is read one by one.
/// </summary>
public class StepTaskListTests
{
    private const int Width = 250;

    [Fact]
    public async Task AWideStepOfASucceededRunIsListedFromItsTaskListInOneRead()
    {
        using var store = new TempDatastore();
        var run = await RunWideAsync(store);

        Assert.Equal(["Body.tasks.0.json"], MetaFiles(store, run.Id).Where(f => f.Contains(".tasks.", StringComparison.Ordinal)));
        var counting = new CountingBlobStore(store.Root);
        var tasks = new Flow(nameof(WideFlow), new ClientOptions { BlobStore = counting, Namespace = null })[run.Id]["Body"].Tasks;

        Assert.Equal(Width, tasks.Count);
        Assert.Equal([$"{nameof(WideFlow)}/{run.Id}/_meta/Body.tasks.0.json"], counting.Loaded.Where(k => k.Contains("/Body", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(0, Width).Select(i => i * 2), tasks.Select(t => t["Value"].Get<int>()).Order());
        // Each listed record is the task's own record, field for field.
        var own = await new MetadataStore(new LocalBlobStore(store.Root)).ReadTasksAsync(nameof(WideFlow), run.Id, [.. tasks.Select(t => ("Body", t.Id))]);
        Assert.Equal(own.Select(r => JsonSerializer.Serialize(r)), tasks.Select(t => JsonSerializer.Serialize(t.Record)));
    }

    [Fact]
    public async Task ATaskTheListLacksIsReadFromItsOwnRecordAndAStepWithoutAListIsReadTaskByTask()
    {
        using var store = new TempDatastore();
        var run = await RunWideAsync(store);
        var list = Path.Combine(store.Root, nameof(WideFlow), run.Id, "_meta", "Body.tasks.0.json");
        var records = JsonNode.Parse(File.ReadAllBytes(list))!.AsArray();
        var dropped = records[17]!["taskId"]!.GetValue<string>();
        records.RemoveAt(17);
        File.WriteAllText(list, records.ToJsonString());

        var counting = new CountingBlobStore(store.Root);
        var tasks = new Flow(nameof(WideFlow), new ClientOptions { BlobStore = counting, Namespace = null })[run.Id]["Body"].Tasks;
        Assert.Equal(Width, tasks.Count);
        Assert.Equal([$"{nameof(WideFlow)}/{run.Id}/Body/{dropped}/_meta/task.json"], counting.Loaded.Where(k => k.EndsWith("task.json", StringComparison.Ordinal)));

        File.Delete(list);
        counting = new CountingBlobStore(store.Root);
        tasks = new Flow(nameof(WideFlow), new ClientOptions { BlobStore = counting, Namespace = null })[run.Id]["Body"].Tasks;
        Assert.Equal(Enumerable.Range(0, Width).Select(i => i * 2), tasks.Select(t => t["Value"].Get<int>()).Order());
        Assert.Equal(Width, counting.Loaded.Count(k => k.EndsWith("task.json", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ADamagedTaskListIsNamedInAWarningAndItsTasksAreReadOneByOne()
    {
        using var store = new TempDatastore();
        var run = await RunWideAsync(store);
        var list = Path.Combine(store.Root, nameof(WideFlow), run.Id, "_meta", "Body.tasks.0.json");
        File.WriteAllBytes(list, File.ReadAllBytes(list)[..1000]); // cut off

        var warnings = new List<string>();
        var tasks = new Flow(nameof(WideFlow), store.Client with { Namespace = null, OnWarning = warnings.Add })[run.Id]["Body"].Tasks;

        Assert.Equal(Enumerable.Range(0, Width).Select(i => i * 2), tasks.Select(t => t["Value"].Get<int>()).Order());
        Assert.Contains("Body.tasks.0.json", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedRunWritesNoTaskListAndItsTasksAreStillListed()
    {
        using var store = new TempDatastore();
        var run = await RunWideAsync(store, failAt: 7);

        Assert.False(run.Successful);
        Assert.DoesNotContain(MetaFiles(store, run.Id), f => f.Contains(".tasks.", StringComparison.Ordinal));
        var tasks = new Flow(nameof(WideFlow), store.Client with { Namespace = null })[run.Id]["Body"].Tasks;
        Assert.Equal(Directory.GetDirectories(Path.Combine(store.Root, nameof(WideFlow), run.Id, "Body")).Length, tasks.Count);
        Assert.Equal("7", Assert.Single(tasks, t => !t.Successful).Record.Splits[0].Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ResumingASucceededWideRunAtItsJoinReadsTheForeachFromItsTaskList()
    {
        using var store = new TempDatastore();
        var origin = await RunWideAsync(store);
        var counting = new CountingBlobStore(store.Root);

        var resumed = await new Runner<WideFlow>(store.Options() with { BlobStore = counting, MaxNumSplits = Width })
            .ResumeAsync(new ResumeOptions { OriginRunId = origin.Id, Step = "Join" });

        Assert.True(resumed.Successful, resumed.Error);
        Assert.Equal((long)Width * (Width - 1), resumed.Data["Sum"].Get<long>());
        Assert.All(resumed["Body"].Tasks, t => Assert.StartsWith(origin.Id + "/Body/", t.Origin, StringComparison.Ordinal));
        AssertBodyWasReadFromItsList(counting, origin.Id);
    }

    [Fact]
    public async Task SpinningTheJoinOfAWideRunReadsItsInputsFromTheTaskList()
    {
        using var store = new TempDatastore();
        var origin = await RunWideAsync(store);
        var counting = new CountingBlobStore(store.Root);

        var spun = await new Runner<WideFlow>(store.Options() with { BlobStore = counting, MaxNumSplits = Width })
            .SpinAsync(new SpinOptions { Step = "Join", RunId = origin.Id });

        Assert.True(spun.Successful, spun.Error);
        Assert.Equal((long)Width * (Width - 1), spun.Data["Sum"].Get<long>());
        AssertBodyWasReadFromItsList(counting, origin.Id);
    }

    /// <summary>The origin's Body records were read from its task list, none from its own <c>task.json</c>.</summary>
    private static void AssertBodyWasReadFromItsList(CountingBlobStore counting, string originId)
    {
        Assert.DoesNotContain(counting.Loaded, k => k.StartsWith($"{nameof(WideFlow)}/{originId}/Body/", StringComparison.Ordinal) && k.EndsWith("task.json", StringComparison.Ordinal));
        Assert.Contains($"{nameof(WideFlow)}/{originId}/_meta/Body.tasks.0.json", counting.Loaded);
    }

    private static async Task<Run> RunWideAsync(TempDatastore store, int failAt = -1) =>
        await store.RunAsync<WideFlow>(new Dictionary<string, object?> { ["Width"] = Width, ["FailAt"] = failAt }, store.Options() with { MaxNumSplits = Width });

    private static string[] MetaFiles(TempDatastore store, string runId) =>
        [.. Directory.GetFiles(Path.Combine(store.Root, nameof(WideFlow), runId, "_meta")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];
}
