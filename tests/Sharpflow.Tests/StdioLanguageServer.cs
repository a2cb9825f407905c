using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using StreamJsonRpc;

namespace Sharpflow.Tests;

/// <summary>
/// The language server as an editor runs it: its own process, LSP over stdio, initialized to read one datastore; every
/// <c>textDocument/publishDiagnostics</c> it sends goes into <see cref="Published"/>. Disposing ends the process if the
/// test did not shut it down.
/// </summary>
internal sealed class StdioLanguageServer : IDisposable
{
    private readonly Process _server;

    private StdioLanguageServer(Process server, JsonRpc client, Channel<JsonElement> published)
    {
        _server = server;
        Client = client;
        Published = published;
    }

    public JsonRpc Client { get; }

    public Channel<JsonElement> Published { get; }

    /// <summary>The server's answer to <c>initialize</c>.</summary>
    public JsonElement Initialized { get; private set; }

    public static async Task<StdioLanguageServer> StartAsync(string datastoreRoot)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sharpflow.LanguageServer.dll"));
        var server = Process.Start(start)!;
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) };
        var client = new JsonRpc(new HeaderDelimitedMessageHandler(server.StandardInput.BaseStream, server.StandardOutput.BaseStream, formatter));
        var published = Channel.CreateUnbounded<JsonElement>();
        client.AddLocalRpcTarget(new DiagnosticsSink(published));
        client.StartListening();
        var session = new StdioLanguageServer(server, client, published);
        try
        {
            session.Initialized = await client.InvokeWithParameterObjectAsync<JsonElement>("initialize", new { processId = Environment.ProcessId, capabilities = new { }, initializationOptions = new { datastoreRoot } });
            await client.NotifyWithParameterObjectAsync("initialized", new { });
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The next diagnostics the server published (a minute at most).</summary>
    public async Task<JsonElement> NextPublishedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await Published.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The titles of the document's code lenses.</summary>
    public async Task<string[]> LensTitlesAsync(string uri)
    {
        var lenses = await Client.InvokeWithParameterObjectAsync<JsonElement>("textDocument/codeLens", new { textDocument = new { uri } });
        return [.. lenses.EnumerateArray().Select(l => l.GetProperty("command").GetProperty("title").GetString()!)];
    }

    /// <summary>LSP's <c>shutdown</c> and <c>exit</c>; the process must end.</summary>
    public async Task ShutdownAsync()
    {
        await Client.InvokeWithParameterObjectAsync<object?>("shutdown");
        await Client.NotifyAsync("exit");
        Assert.True(_server.WaitForExit(30_000), "the server exits after shutdown/exit");
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit();
        }
        _server.Dispose();
    }

    /// <summary>The client's side of publishDiagnostics: every notification goes into a channel the test reads.</summary>
    private sealed class DiagnosticsSink(Channel<JsonElement> published)
    {
        [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
        public void Publish(JsonElement parameters) => published.Writer.TryWrite(parameters);
    }
}
