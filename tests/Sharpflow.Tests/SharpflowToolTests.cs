using System.Text.Json;
using Sharpflow.S3;

namespace Sharpflow.Tests;

/// <summary>
/// The <c>sharpflow</c> tool (src/Cli) reads runs of any flow without its code, with the flow programs' own commands:
/// the same output and <c>--json</c>, the flow named first in each pathspec; on a local and an S3 datastore. The tests
/// run the native (AOT) program the linux-x64 package ships, published once for the class.
/// </summary>
[Collection(S3Collection.Name)]
public class SharpflowToolTests(S3Server server, SharpflowToolTests.NativeProgram native) : IClassFixture<SharpflowToolTests.NativeProgram>
{
    private static readonly string HelloDll = Path.Combine(AppContext.BaseDirectory, "HelloFlow.dll");
    private static readonly string TrainDll = Path.Combine(AppContext.BaseDirectory, "TrainFlow.dll");

    private string Tool => native.Path;

    [Fact]
    public async Task TheToolListsShowsDumpsAndTagsRunsOfAFlowWhoseCodeItDoesNotHave()
    {
        using var store = new TempDatastore();
        var first = await RunAsync(store.Root, null, HelloDll, "run", "--json", "--tag", "nightly", "--datastore", store.Root);
        var second = await RunAsync(store.Root, null, HelloDll, "run", "--json", "--name", "Ada", "--datastore", store.Root);
        var firstId = JsonDocument.Parse(first).RootElement.GetProperty("runId").GetString()!;
        var secondId = JsonDocument.Parse(second).RootElement.GetProperty("runId").GetString()!;

        var table = (await RunAsync(store.Root, null, Tool, "runs", "--datastore", store.Root)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("FLOW ", table[0]);
        Assert.Equal(3, table.Length);
        Assert.StartsWith($"HelloFlow {secondId} ", table[1]); // every flow's runs, newest first
        Assert.Contains(firstId, table[2]);

        var tagged = await RunAsync(store.Root, null, Tool, "runs", "HelloFlow", "--tag", "nightly", "--json", "--datastore", store.Root);
        Assert.Equal(firstId, Assert.Single(JsonDocument.Parse(tagged).RootElement.EnumerateArray()).GetProperty("runId").GetString());

        var shown = await RunAsync(store.Root, null, Tool, "show", $"HelloFlow/{secondId}", "--datastore", store.Root);
        Assert.Contains($"HelloFlow/{secondId}: Succeeded", shown);
        Assert.Contains("Name=\"Ada\"", shown);
        Assert.Matches(@"Greet +3 tasks +3 Succeeded", shown);

        // One implementation, two hosts: the tool's dump and logs print what the flow's own commands print.
        Assert.Equal(await RunAsync(store.Root, null, HelloDll, "dump", "latest/Join", "--json", "--datastore", store.Root),
            await RunAsync(store.Root, null, Tool, "dump", "HelloFlow/latest/Join", "--json", "--datastore", store.Root));
        Assert.Equal(await RunAsync(store.Root, null, HelloDll, "logs", $"{firstId}/Greet", "--stdout", "--datastore", store.Root),
            await RunAsync(store.Root, null, Tool, "logs", $"HelloFlow/{firstId}/Greet", "--stdout", "--datastore", store.Root));

        await RunAsync(store.Root, null, Tool, "tag", "add", $"HelloFlow/{secondId}", "reviewed", "--datastore", store.Root);
        Assert.Contains("reviewed", await RunAsync(store.Root, null, HelloDll, "tag", "list", secondId, "--datastore", store.Root));

        // A pathspec without its flow is refused with the shape to use.
        var wrong = await ChildProcess.RunAsync(Tool, store.Root, null, "dump", "latest/Join", "--datastore", store.Root);
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

        var listed = await RunAsync(work.Root, environment, Tool, "runs", "--json", "--datastore", root);
        var only = Assert.Single(JsonDocument.Parse(listed).RootElement.EnumerateArray());
        Assert.Equal("HelloFlow", only.GetProperty("flow").GetString());
        Assert.Equal(runId, only.GetProperty("runId").GetString());
        Assert.Contains("Hello, world!", await RunAsync(work.Root, environment, Tool, "dump", "HelloFlow/latest/End", "--datastore", root));
    }

    [Fact]
    public async Task TheNativeToolDumpsRecordsListsAndByteArraysAsTheFlowsOwnProgramDoes()
    {
        // The native program has no reflection and no flow types: it reads JSON artifacts as documents, raw ones as bytes.
        using var store = new TempDatastore();
        await RunAsync(store.Root, null, TrainDll, "run", "--rows", "300", "--datastore", store.Root);
        foreach (var step in new[] { "Start", "Fit", "PickBest", "End" })
        {
            var own = await RunAsync(store.Root, null, TrainDll, "dump", $"latest/{step}", "--json", "--datastore", store.Root);
            Assert.Equal(own, await RunAsync(store.Root, null, Tool, "dump", $"TrainFlow/latest/{step}", "--json", "--datastore", store.Root));
        }
        var end = await RunAsync(store.Root, null, Tool, "dump", "TrainFlow/latest/End", "--datastore", store.Root);
        Assert.Matches(@"Leaderboard : List<Score> \(\d+ bytes\) = \[\{""Candidate"":\{""Trainer"":", end);
        Assert.Matches(@"Model : byte\[\] \(\d+ bytes\) = """, end);
        Assert.Contains("Rows : int (4 bytes) = 300", end);
    }

    private async Task<string> RunAsync(string folder, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // Flow programs run on dotnet; the tool is a native program.
        var result = arguments[0] == Tool
            ? await ChildProcess.RunAsync(Tool, folder, environment, arguments[1..])
            : await ChildProcess.DotnetAsync(folder, environment, arguments);
        Assert.True(result.ExitCode == 0, $"`{string.Join(' ', arguments)}` exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }

    /// <summary>The tool's native program, published for linux-x64 into a private folder.</summary>
    public sealed class NativeProgram : IAsyncLifetime
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("sharpflow-native-tool-").FullName;

        public string Path { get; private set; } = "";

        public async Task InitializeAsync() => Path = await NativeTool.PublishAsync(_folder);

        public Task DisposeAsync()
        {
            Directory.Delete(_folder, recursive: true);
            return Task.CompletedTask;
        }
    }
}
