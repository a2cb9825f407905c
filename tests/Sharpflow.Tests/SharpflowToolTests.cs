using System.Text.Json;
using Sharpflow.S3;

namespace Sharpflow.Tests;

/// <summary>
/// The <c>sharpflow</c> tool (src/Cli) reads runs of any flow without its code, with the flow programs' own commands:
/// the same output and <c>--json</c>, the flow named first in each pathspec; on a local and an S3 datastore.
/// </summary>
[Collection(S3Collection.Name)]
public class SharpflowToolTests(S3Server server)
{
    private static readonly string ToolDll = Path.Combine(AppContext.BaseDirectory, "Sharpflow.Cli.dll");
    private static readonly string HelloDll = Path.Combine(AppContext.BaseDirectory, "HelloFlow.dll");

    [Fact]
    public async Task TheToolListsShowsDumpsAndTagsRunsOfAFlowWhoseCodeItDoesNotHave()
    {
        using var store = new TempDatastore();
        var first = await RunAsync(store.Root, null, HelloDll, "run", "--json", "--tag", "nightly", "--datastore", store.Root);
        var second = await RunAsync(store.Root, null, HelloDll, "run", "--json", "--name", "Ada", "--datastore", store.Root);
        var firstId = JsonDocument.Parse(first).RootElement.GetProperty("runId").GetString()!;
        var secondId = JsonDocument.Parse(second).RootElement.GetProperty("runId").GetString()!;

        var table = (await RunAsync(store.Root, null, ToolDll, "runs", "--datastore", store.Root)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("FLOW ", table[0]);
        Assert.Equal(3, table.Length);
        Assert.StartsWith($"HelloFlow {secondId} ", table[1]); // every flow's runs, newest first
        Assert.Contains(firstId, table[2]);

        var tagged = await RunAsync(store.Root, null, ToolDll, "runs", "HelloFlow", "--tag", "nightly", "--json", "--datastore", store.Root);
        Assert.Equal(firstId, Assert.Single(JsonDocument.Parse(tagged).RootElement.EnumerateArray()).GetProperty("runId").GetString());

        var shown = await RunAsync(store.Root, null, ToolDll, "show", $"HelloFlow/{secondId}", "--datastore", store.Root);
        Assert.Contains($"HelloFlow/{secondId}: Succeeded", shown);
        Assert.Contains("Name=\"Ada\"", shown);
        Assert.Matches(@"Greet +3 tasks +3 Succeeded", shown);

        // One implementation, two hosts: the tool's dump and logs print what the flow's own commands print.
        Assert.Equal(await RunAsync(store.Root, null, HelloDll, "dump", "latest/Join", "--json", "--datastore", store.Root),
            await RunAsync(store.Root, null, ToolDll, "dump", "HelloFlow/latest/Join", "--json", "--datastore", store.Root));
        Assert.Equal(await RunAsync(store.Root, null, HelloDll, "logs", $"{firstId}/Greet", "--stdout", "--datastore", store.Root),
            await RunAsync(store.Root, null, ToolDll, "logs", $"HelloFlow/{firstId}/Greet", "--stdout", "--datastore", store.Root));

        await RunAsync(store.Root, null, ToolDll, "tag", "add", $"HelloFlow/{secondId}", "reviewed", "--datastore", store.Root);
        Assert.Contains("reviewed", await RunAsync(store.Root, null, HelloDll, "tag", "list", secondId, "--datastore", store.Root));

        // A pathspec without its flow is refused with the shape to use.
        var wrong = await ChildProcess.DotnetAsync(store.Root, null, ToolDll, "dump", "latest/Join", "--datastore", store.Root);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("use Flow/run-id/step or Flow/run-id/step/task-id (e.g. HelloFlow/latest/Start)", wrong.Stderr);
    }

    [Fact]
    public async Task TheToolListsRunsInAnS3Datastore()
    {
        var root = S3Server.NewRoot();
        using var work = new TempDatastore();
        var environment = new Dictionary<string, string> { [S3Location.EndpointVariable] = server.Endpoint };
        var run = await RunAsync(work.Root, environment, HelloDll, "run", "--json", "--datastore", root);
        var runId = JsonDocument.Parse(run).RootElement.GetProperty("runId").GetString()!;

        var listed = await RunAsync(work.Root, environment, ToolDll, "runs", "--json", "--datastore", root);
        var only = Assert.Single(JsonDocument.Parse(listed).RootElement.EnumerateArray());
        Assert.Equal("HelloFlow", only.GetProperty("flow").GetString());
        Assert.Equal(runId, only.GetProperty("runId").GetString());
        Assert.Contains("Hello, world!", await RunAsync(work.Root, environment, ToolDll, "dump", "HelloFlow/latest/End", "--datastore", root));
    }

    private static async Task<string> RunAsync(string folder, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var result = await ChildProcess.DotnetAsync(folder, environment, arguments);
        Assert.True(result.ExitCode == 0, $"`{string.Join(' ', arguments)}` exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }
}
