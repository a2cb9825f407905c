using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Sharpflow.Graph;
using Sharpflow.LanguageServer.Protocol;
using StreamJsonRpc;

namespace Sharpflow.LanguageServer;

/// <summary>
/// The LSP server: keeps open documents (full or incremental sync), analyses each change off the message loop (a newer
/// version supersedes an older analysis), publishes graph-rule diagnostics, and serves code lenses and hovers for steps.
/// </summary>
internal sealed class FlowLanguageServer : IAsyncDisposable
{
    private readonly JsonRpc _rpc;
    private readonly ConcurrentDictionary<string, (int Version, string Text)> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FlowAnalysis> _analyses = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _exit = new();

    public FlowLanguageServer(Stream input, Stream output)
    {
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = new JsonSerializerOptions(LspJson.Options) };
        _rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, formatter));
        _rpc.AddLocalRpcTarget(this, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true, AllowNonPublicInvocation = true });
        // LSP notifications must apply in order (didOpen, then each didChange); handlers are quick, analysis runs elsewhere.
        _rpc.SynchronizationContext = new Microsoft.VisualStudio.Threading.NonConcurrentSynchronizationContext(sticky: false);
    }

    public async Task RunAsync()
    {
        _rpc.StartListening();
        await Task.WhenAny(_rpc.Completion, _exit.Task).ConfigureAwait(false);
    }

    private string? _datastoreRoot;

    [JsonRpcMethod("initialize")]
    public InitializeResult Initialize(JsonElement parameters)
    {
        // The datastore the hovers read: initializationOptions.datastoreRoot, else the usual resolution (env, ./.sharpflow).
        if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("initializationOptions", out var options)
            && options.ValueKind == JsonValueKind.Object && options.TryGetProperty("datastoreRoot", out var root) && root.ValueKind == JsonValueKind.String)
        {
            _datastoreRoot = root.GetString();
        }
        return Capabilities();
    }

    private static InitializeResult Capabilities() => new(
        new ServerCapabilities(new { openClose = true, change = 2 }, new { resolveProvider = false }, HoverProvider: true, DocumentSymbolProvider: true,
            new { triggerCharacters = new[] { "(", "," } }, DefinitionProvider: true, new { commands = new[] { ShowGraphCommand } }),
        new { name = "sharpflow-language-server", version = typeof(FlowLanguageServer).Assembly.GetName().Version?.ToString(3) });

    [JsonRpcMethod("initialized")]
    public void Initialized(JsonElement parameters)
    {
    }

    [JsonRpcMethod("shutdown")]
    public object? Shutdown() => null;

    [JsonRpcMethod("exit")]
    public void Exit() => _exit.TrySetResult();

    [JsonRpcMethod("textDocument/didOpen")]
    public void DidOpen(DidOpenTextDocumentParams parameters)
    {
        var document = parameters.TextDocument;
        _documents[document.Uri] = (document.Version, document.Text);
        _opened.TryAdd(document.Uri, Interlocked.Increment(ref _openCount)); // notebook cells keep the order they were opened in
        Schedule(document.Uri, document.Version);
    }

    [JsonRpcMethod("textDocument/didChange")]
    public void DidChange(DidChangeTextDocumentParams parameters)
    {
        var uri = parameters.TextDocument.Uri;
        var text = _documents.TryGetValue(uri, out var known) ? known.Text : "";
        foreach (var change in parameters.ContentChanges)
        {
            text = change.Range is { } range ? Apply(text, range, change.Text) : change.Text;
        }
        _documents[uri] = (parameters.TextDocument.Version, text);
        Schedule(uri, parameters.TextDocument.Version);
    }

    [JsonRpcMethod("textDocument/didClose")]
    public void DidClose(DidCloseTextDocumentParams parameters)
    {
        _documents.TryRemove(parameters.TextDocument.Uri, out _);
        _analyses.TryRemove(parameters.TextDocument.Uri, out _);
        _ = Publish(parameters.TextDocument.Uri, null, []);
    }

    [JsonRpcMethod("textDocument/codeLens")]
    public IReadOnlyList<CodeLens> CodeLens(CodeLensParams parameters)
    {
        var uri = parameters.TextDocument.Uri;
        var analysis = _analyses.TryGetValue(uri, out var known) ? known : Analyze(uri);
        var lenses = new List<CodeLens>();
        foreach (var flow in analysis.Steps.GroupBy(s => s.Flow))
        {
            var first = flow.First();
            lenses.Add(new CodeLens(Point(first.Line, first.Column), new Command("Run flow", "sharpflow.run", [uri, flow.Key])));
            foreach (var step in flow)
            {
                lenses.Add(new CodeLens(Point(step.Line, step.Column), new Command("Resume from here", "sharpflow.resume", [uri, flow.Key, step.Step])));
                lenses.Add(new CodeLens(Point(step.Line, step.Column), new Command("Spin this step", "sharpflow.spin", [uri, flow.Key, step.Step])));
            }
        }
        return lenses;
    }

    /// <summary>Step names inside <c>Next(</c> and <c>Switch(</c>; artifact names inside <c>nameof(</c>.</summary>
    [JsonRpcMethod("textDocument/completion")]
    public IReadOnlyList<CompletionItem> Completion(TextDocumentPositionParams parameters) =>
        _documents.TryGetValue(parameters.TextDocument.Uri, out var document)
            ? new FlowSyntax(document.Text).CompletionsAt(parameters.Position.Line, parameters.Position.Character)
                .Select(c => new CompletionItem(c.Label, c.Kind == "step" ? 2 : 5, c.Kind)).ToArray()
            : [];

    /// <summary>From a step name (e.g. in <c>Next(Train)</c>) to the step's declaration.</summary>
    [JsonRpcMethod("textDocument/definition")]
    public Location? Definition(TextDocumentPositionParams parameters) =>
        _documents.TryGetValue(parameters.TextDocument.Uri, out var document)
        && new FlowSyntax(document.Text).StepDefinitionAt(parameters.Position.Line, parameters.Position.Character) is { } target
            ? new Location(parameters.TextDocument.Uri, Point(target.Line, target.Character, target.Length))
            : null;

    private const string ShowGraphCommand = "sharpflow.showGraph";

    /// <summary><c>sharpflow.showGraph [uri, flow]</c>: the flow's graph as SVG (the editor shows it in a view).</summary>
    [JsonRpcMethod("workspace/executeCommand")]
    public object? ExecuteCommand(ExecuteCommandParams parameters)
    {
        if (parameters.Command != ShowGraphCommand || parameters.Arguments is not [var uri, var flow])
        {
            throw new LocalRpcException($"Unknown command '{parameters.Command}' or arguments; use {ShowGraphCommand} [documentUri, flowName].") { ErrorCode = -32602 };
        }
        var analysis = _analyses.TryGetValue(uri.GetString()!, out var known) ? known : Analyze(uri.GetString()!);
        return analysis.Graphs.TryGetValue(flow.GetString()!, out var svg) ? new { flow = flow.GetString(), svg } : null;
    }

    /// <summary>The outline: each flow with its steps.</summary>
    [JsonRpcMethod("textDocument/documentSymbol")]
    public IReadOnlyList<DocumentSymbol> DocumentSymbols(CodeLensParams parameters)
    {
        var analysis = _analyses.TryGetValue(parameters.TextDocument.Uri, out var known) ? known : Analyze(parameters.TextDocument.Uri);
        return analysis.Steps.GroupBy(s => s.Flow).Select(flow =>
        {
            var children = flow.Select(s => new DocumentSymbol(s.Step, "step", 6, Point(s.Line, s.Column, s.Step.Length), Point(s.Line, s.Column, s.Step.Length), [])).ToArray();
            var first = children[0].Range;
            return new DocumentSymbol(flow.Key, "flow", 5, new Protocol.Range(first.Start, children[^1].Range.End), first, children);
        }).ToArray();
    }

    [JsonRpcMethod("textDocument/hover")]
    public Hover? Hover(TextDocumentPositionParams parameters)
    {
        var analysis = _analyses.TryGetValue(parameters.TextDocument.Uri, out var known) ? known : Analyze(parameters.TextDocument.Uri);
        var step = analysis.Steps.FirstOrDefault(s => s.Line == parameters.Position.Line
            && parameters.Position.Character >= s.Column && parameters.Position.Character <= s.Column + s.Step.Length);
        if (step is null)
        {
            return null;
        }
        var problems = analysis.Diagnostics.Where(d => d.Diagnostic.Step == step.Step).Select(d => $"- {d.Diagnostic.Rule.Id}: {d.Diagnostic.Message}");
        var text = $"**Step `{step.Step}`** of flow `{step.Flow}`\n\n{string.Join('\n', problems)}{LatestRunFacts(step)}";
        return new Hover(new MarkupContent("markdown", text), Point(step.Line, step.Column, step.Step.Length));
    }

    /// <summary>What the datastore knows of the step in the flow's latest run: task statuses, longest duration, artifact previews.</summary>
    private string LatestRunFacts(FlowStepLocation step)
    {
        try
        {
            var run = new Client.Flow(step.Flow, Client.ClientOptions.Global with { DatastoreRoot = _datastoreRoot }).LatestRun;
            if (run is null || !run.Steps.Any(s => s.Name == step.Step))
            {
                return "";
            }
            var tasks = run[step.Step].Tasks;
            var first = tasks[0];
            var artifacts = first.Successful
                ? string.Join('\n', first.Artifacts.OrderBy(a => a.Name, StringComparer.Ordinal).Take(10).Select(a => $"- `{a.Name}` ({a.TypeName.Split(", ")[0]}): {Preview(a)}"))
                : "";
            return $"\n\n**Latest run {run.Id}** ({run.Status}): {tasks.Count} task(s), "
                + $"{string.Join(", ", tasks.GroupBy(t => t.Status).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"))}, "
                + $"longest {tasks.Max(t => t.Duration ?? TimeSpan.Zero).TotalMilliseconds:0} ms\n{artifacts}";
        }
        catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or UnauthorizedAccessException)
        {
            return $"\n\n(latest run unavailable: {e.Message})";
        }
    }

    private static string Preview(Client.DataArtifact artifact)
    {
        string text;
        try
        {
            text = artifact.Size > 4096 ? $"{artifact.Size} bytes" : System.Text.Json.JsonSerializer.Serialize(artifact.Value, artifact.Value?.GetType() ?? typeof(object));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            text = $"(unreadable: {e.GetType().Name})"; // a hover never fails because one artifact cannot be shown
        }
        return text.Length > 80 ? text[..80] + "…" : text;
    }

    public async ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private const string NotebookCellScheme = "vscode-notebook-cell:";
    private readonly ConcurrentDictionary<string, long> _opened = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _notebookGeneration = new(StringComparer.Ordinal);
    private long _openCount;

    private void Schedule(string uri, int version)
    {
        // A notebook's generation moves on with every change to any of its cells; only the newest analysis is published.
        var generation = uri.StartsWith(NotebookCellScheme, StringComparison.Ordinal)
            ? _notebookGeneration.AddOrUpdate(NotebookOf(uri), 1, (_, g) => g + 1)
            : 0;
        _ = Task.Run(() => uri.StartsWith(NotebookCellScheme, StringComparison.Ordinal)
            ? AnalyzeNotebookAsync(NotebookOf(uri), generation)
            : AnalyzeDocumentAsync(uri, version));
    }

    private async Task AnalyzeDocumentAsync(string uri, int version)
    {
        var analysis = Analyze(uri);
        if (_documents.TryGetValue(uri, out var current) && current.Version == version)
        {
            _analyses[uri] = analysis;
            await Publish(uri, version, analysis.Diagnostics.Select(ToLsp).ToArray()).ConfigureAwait(false);
        }
    }

    /// <summary>The C# cells of one notebook are compiled together, in the order they were opened (the notebook's order).</summary>
    private async Task AnalyzeNotebookAsync(string notebook, long generation)
    {
        var cells = _documents.Where(d => d.Key.StartsWith(NotebookCellScheme, StringComparison.Ordinal) && NotebookOf(d.Key) == notebook)
            .OrderBy(d => _opened.GetValueOrDefault(d.Key)).ToArray();
        var analyses = FlowDocumentAnalyzer.AnalyzeCells(cells.Select(c => c.Value.Text).ToArray());
        if (_notebookGeneration.GetValueOrDefault(notebook) != generation)
        {
            return; // a newer change to the notebook is being analysed
        }
        for (var i = 0; i < cells.Length; i++)
        {
            _analyses[cells[i].Key] = analyses[i];
            await Publish(cells[i].Key, cells[i].Value.Version, analyses[i].Diagnostics.Select(ToLsp).ToArray()).ConfigureAwait(false);
        }
    }

    private static string NotebookOf(string cellUri) => cellUri.Split('#')[0];

    /// <summary>Analyses an open document with its project's other sources (open buffers win over files) and references.</summary>
    private FlowAnalysis Analyze(string uri)
    {
        if (!_documents.TryGetValue(uri, out var document))
        {
            return new FlowAnalysis([], [], []);
        }
        return ProjectContext.LocalPath(uri) is { } path
            ? FlowDocumentAnalyzer.AnalyzeInProject(document.Text, path, OpenText)
            : FlowDocumentAnalyzer.Analyze(document.Text, uri);
    }

    private string? OpenText(string path) =>
        _documents.TryGetValue(new Uri(path).AbsoluteUri, out var open) ? open.Text : null;

    private Task Publish(string uri, int? version, IReadOnlyList<Protocol.Diagnostic> diagnostics) =>
        _rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(uri, version, diagnostics));

    private static Protocol.Diagnostic ToLsp(FlowDiagnostic d) => new(
        new Protocol.Range(new Position(d.StartLine, d.StartColumn), new Position(d.EndLine, d.EndColumn)),
        d.Diagnostic.IsError ? 1 : 2, d.Diagnostic.Rule.Id, "sharpflow", d.Diagnostic.Message);

    private static Protocol.Range Point(int line, int column, int length = 0) => new(new Position(line, column), new Position(line, column + length));

    /// <summary>Applies one incremental edit (LSP positions are UTF-16 code units, as .NET strings are).</summary>
    private static string Apply(string text, Protocol.Range range, string replacement)
    {
        var start = Offset(text, range.Start);
        var end = Offset(text, range.End);
        return new StringBuilder(text).Remove(start, end - start).Insert(start, replacement).ToString();
    }

    private static int Offset(string text, Position position)
    {
        var offset = 0;
        for (var line = 0; line < position.Line && offset < text.Length; line++)
        {
            var next = text.IndexOf('\n', offset);
            offset = next < 0 ? text.Length : next + 1;
        }
        return Math.Min(offset + position.Character, text.Length);
    }
}
