using System.Text.Json;
using Sharpflow.Client;

namespace Sharpflow.Tests;

public class TagTests
{
    [Fact]
    public async Task TagsChangeAfterTheRunAndEveryClientSeesThem()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<LinearFixture>(options: store.Options() with { Tags = ["exp:1"] });

        await new Flow(nameof(LinearFixture), store.Client)[run.Id].AddTagsAsync(["gold", "reviewed"]);
        await new Flow(nameof(LinearFixture), store.Client)[run.Id].RemoveTagsAsync(["exp:1"]);

        var reread = new Flow(nameof(LinearFixture), store.Client)[run.Id];
        Assert.Equal(["gold", "reviewed"], reread.UserTags);
        Assert.Equal(run.Id, new Flow(nameof(LinearFixture), store.Client).RunsTagged("gold").Single().Id);
        var system = await Assert.ThrowsAsync<ArgumentException>(() => reread.RemoveTagsAsync(["runtime:local"]));
        Assert.Contains("system tag", system.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => reread.AddTagsAsync([" padded "]));
    }

    [Fact]
    public async Task SystemTagsRecordUserRuntimeAndFlowVersion()
    {
        using var store = new TempDatastore();
        var first = await store.RunAsync<LinearFixture>(options: store.Options() with { User = "ada" });
        var second = await store.RunAsync<LinearFixture>(options: store.Options() with { User = "ada" });
        var other = await store.RunAsync<Fixtures.Good.BranchFlow>(options: store.Options() with { User = "ada" });

        Assert.Contains("user:ada", first.SystemTags);
        Assert.Contains("runtime:local", first.SystemTags);
        Assert.Contains(first.SystemTags, t => t.StartsWith("sharpflow_version:", StringComparison.Ordinal));
        string Version(Run r) => r.SystemTags.Single(t => t.StartsWith("flow_version:", StringComparison.Ordinal));
        Assert.Equal(Version(first), Version(second));
        Assert.NotEqual(Version(first), Version(other));
    }

    [Fact]
    public async Task AProductionNamespaceRunIsSeenThroughThatNamespace()
    {
        using var store = new TempDatastore();
        var production = await store.RunAsync<ArtifactKindsFixture>(options: store.Options() with { Namespace = "production", User = "ci" });
        await store.RunAsync<ArtifactKindsFixture>(options: store.Options() with { User = "ci" });

        Assert.Equal([production.Id], new Flow(nameof(ArtifactKindsFixture), store.Client with { Namespace = "production" }).Runs.Select(r => r.Id));
        Assert.Contains("|production|", production["Start"].Task["CurrentFacts"].Get<string>());
        Assert.Equal(2, new Flow(nameof(ArtifactKindsFixture), store.Client with { Namespace = "user:ci" }).Runs.Count());
    }

    [Fact]
    public async Task TheCliAddsListsAndRemovesTags()
    {
        using var store = new TempDatastore();
        var run = await store.RunAsync<LinearFixture>();

        Assert.Equal(0, (await CliTests.InProcessAsync(typeof(LinearFixture), "tag", "add", run.Id, "candidate", "v2", "--datastore", store.Root)).Code);
        Assert.Equal(0, (await CliTests.InProcessAsync(typeof(LinearFixture), "tag", "remove", "latest", "v2", "--datastore", store.Root)).Code);
        var list = await CliTests.InProcessAsync(typeof(LinearFixture), "tag", "list", run.Id, "--json", "--datastore", store.Root);

        using var json = JsonDocument.Parse(list.Stdout);
        Assert.Equal(["candidate"], json.RootElement.GetProperty("userTags").EnumerateArray().Select(t => t.GetString()));
        var refused = await CliTests.InProcessAsync(typeof(LinearFixture), "tag", "remove", run.Id, "runtime:local", "--datastore", store.Root);
        Assert.Equal(2, refused.Code);
    }
}

/// <summary>The artifact-kinds flow under a name of its own, so these tests own its runs.</summary>
public class ArtifactKindsFixture : Flows.ArtifactKindsFlow;
