using System.Diagnostics;
using System.Text.Json;
using Sharpflow.Execution;
using StreamJsonRpc;

namespace Sharpflow.Tests;

/// <summary>
/// The editor's runs view, as the VS Code extension asks the real language server for it (<c>sharpflow/runTree</c>,
/// <c>sharpflow/card</c>), from a local datastore and from an S3 one on a real S3-compatible server.
/// </summary>
[Collection(S3Collection.Name)]
public class RunExplorerTests(S3Server server)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheRunsViewListsFlowsRunsStepsTasksArtifactsAndCardsOfALocalOrS3Datastore(bool s3)
    {
        Assert.NotEmpty(server.Endpoint);
        using var local = new TempDatastore();
        var root = s3 ? S3Server.NewRoot() : local.Root;
        var plain = await new Runner<HelloFlow>(new RunnerOptions { DatastoreRoot = root, Tags = ["candidate"] }).RunAsync();
        var carded = await new Runner<HelloFlow>(new RunnerOptions { DatastoreRoot = root, StepDecorators = ["card"] }).RunAsync();
        Assert.True(plain.Successful && carded.Successful, plain.Error ?? carded.Error);
        var reused = await new Runner<HelloFlow>(new RunnerOptions { DatastoreRoot = root, StepDecorators = ["card"], Reuse = true }).RunAsync();
        Assert.True(reused.Successful, reused.Error);

        await using var languageServer = await LanguageServerProcess.StartAsync(root);
        async Task<JsonElement[]> RowsAsync(object request) =>
            (await languageServer.Client.InvokeWithParameterObjectAsync<JsonElement>("sharpflow/runTree", request)).EnumerateArray().ToArray();
        static string[] Labels(JsonElement[] rows) => rows.Select(r => r.GetProperty("label").GetString()!).ToArray();

        var flows = await RowsAsync(new { });
        Assert.Equal(["HelloFlow"], Labels(flows));
        Assert.False(flows[0].GetProperty("active").GetBoolean());

        var runs = await RowsAsync(new { flow = "HelloFlow" });
        Assert.Equal([reused.Id, carded.Id, plain.Id], Labels(runs)); // newest first
        Assert.Matches(@"^succeeded · \d+\.\d s$", runs[1].GetProperty("description").GetString());
        Assert.Equal("succeeded · " + runs[2].GetProperty("description").GetString()!.Split(" · ")[1] + " · candidate", runs[2].GetProperty("description").GetString());
        Assert.Contains("runtime:local", runs[0].GetProperty("tooltip").GetString());
        Assert.Equal([plain.Id], Labels(await RowsAsync(new { flow = "HelloFlow", tag = "candidate" })));
        Assert.Empty(await RowsAsync(new { flow = "HelloFlow", @namespace = "user:nobody" }));

        Assert.Equal(["Start", "Greet", "Join", "End"], Labels(await RowsAsync(new { flow = "HelloFlow", run = carded.Id })));
        var greets = await RowsAsync(new { flow = "HelloFlow", run = carded.Id, step = "Greet" });
        Assert.Equal(3, greets.Length);
        Assert.Equal(["succeeded · foreach 0", "succeeded · foreach 1", "succeeded · foreach 2"], greets.Select(t => t.GetProperty("description").GetString()));
        Assert.All(greets, t => Assert.True(t.GetProperty("hasCard").GetBoolean()));
        Assert.False((await RowsAsync(new { flow = "HelloFlow", run = plain.Id, step = "Greet" }))[0].GetProperty("hasCard").GetBoolean());

        // A run with reuse took every task of the carded run: each says so, and shows the card of the task it came from.
        var reusedGreets = await RowsAsync(new { flow = "HelloFlow", run = reused.Id, step = "Greet" });
        Assert.Equal(["succeeded · foreach 0 · reused", "succeeded · foreach 1 · reused", "succeeded · foreach 2 · reused"], reusedGreets.Select(t => t.GetProperty("description").GetString()));
        Assert.All(reusedGreets, t => Assert.Contains($"reused from {carded.Id}/Greet/", t.GetProperty("tooltip").GetString()));
        Assert.All(reusedGreets, t => Assert.True(t.GetProperty("hasCard").GetBoolean()));

        var task = greets[0].GetProperty("task").GetString();
        var artifacts = await RowsAsync(new { flow = "HelloFlow", run = carded.Id, step = "Greet", task });
        Assert.Equal(["Greetings", "Message", "Name"], Labels(artifacts));
        Assert.StartsWith("List<string> · ", artifacts[0].GetProperty("description").GetString());

        var card = await languageServer.Client.InvokeWithParameterObjectAsync<JsonElement>("sharpflow/card", new { flow = "HelloFlow", run = carded.Id, step = "Greet", task });
        Assert.Equal($"Greet/{task}", card.GetProperty("title").GetString());
        Assert.Contains("<html", card.GetProperty("html").GetString());
        var none = await languageServer.Client.InvokeWithParameterObjectAsync<JsonElement>("sharpflow/card", new { flow = "HelloFlow", run = plain.Id, step = "Greet", task });
        Assert.Equal(JsonValueKind.Null, none.ValueKind);
    }
}

/// <summary>The real language server in a process of its own, spoken to over stdio with StreamJsonRpc; ended on dispose.</summary>
internal sealed class LanguageServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LanguageServerProcess(Process process, JsonRpc client)
    {
        _process = process;
        Client = client;
    }

    public JsonRpc Client { get; }

    /// <summary>Starts the server and initializes it with <paramref name="datastoreRoot"/>.</summary>
    public static async Task<LanguageServerProcess> StartAsync(string datastoreRoot)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sharpflow.LanguageServer.dll"));
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { }; // drained, so a chatty server never blocks on a full pipe
        process.BeginErrorReadLine();
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) };
        var client = new JsonRpc(new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, formatter));
        client.StartListening();
        var server = new LanguageServerProcess(process, client);
        await client.InvokeWithParameterObjectAsync<JsonElement>("initialize", new { processId = Environment.ProcessId, capabilities = new { }, initializationOptions = new { datastoreRoot } });
        await client.NotifyWithParameterObjectAsync("initialized", new { });
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.InvokeAsync<object?>("shutdown");
            await Client.NotifyAsync("exit");
        }
        catch (Exception e) when (e is ConnectionLostException or ObjectDisposedException)
        {
            // already gone
        }
        Client.Dispose();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
