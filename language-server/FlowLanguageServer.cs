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
        UseDatastore(null);
    }

    public async Task RunAsync()
    {
        _rpc.StartListening();
        await Task.WhenAny(_rpc.Completion, _exit.Task).ConfigureAwait(false);
        if (_rpc.Completion is { IsFaulted: true, Exception: { } failure })
        {
            await Console.Error.WriteLineAsync($"Sharpflow language server: the connection failed: {failure.InnerException ?? failure}").ConfigureAwait(false);
        }
    }

    private RunFacts _runFacts;

    private RunExplorer _runExplorer;

    /// <summary>Hovers and the runs view read <paramref name="root"/> (null: the usual resolution), opened once on first use.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_runFacts), nameof(_runExplorer))]
    private void UseDatastore(string? root)
    {
        var datastore = new Lazy<Datastore.IBlobStore>(() => Datastore.DatastoreLocation.Open(root));
        _runFacts = new RunFacts(datastore);
        _runExplorer = new RunExplorer(datastore);
    }

    [JsonRpcMethod("initialize")]
    public InitializeResult Initialize(JsonElement parameters)
    {
        // The datastore the hovers read: initializationOptions.datastoreRoot, else the usual resolution (env, ./.sharpflow).
        if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("initializationOptions", out var options)
            && options.ValueKind == JsonValueKind.Object && options.TryGetProperty("datastoreRoot", out var root) && root.ValueKind == JsonValueKind.String)
        {
            UseDatastore(root.GetString());
        }
        return Capabilities();
    }

    private static InitializeResult Capabilities() => new(
        new ServerCapabilities(new { openClose = true, change = 2 }, new { resolveProvider = false }, HoverProvider: true, DocumentSymbolProvider: true,
            new { triggerCharacters = new[] { "(", "," } }, DefinitionProvider: true, new { commands = new[] { ShowGraphCommand } },
            new { codeActionKinds = new[] { "quickfix" } }),
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
    public async Task<IReadOnlyList<CodeLens>> CodeLensAsync(CodeLensParams parameters, CancellationToken cancellationToken)
    {
        var uri = parameters.TextDocument.Uri;
        var analysis = await AnalysisAsync(uri, cancellationToken).ConfigureAwait(false);
        var lenses = new List<CodeLens>();
        foreach (var flow in analysis.Steps.GroupBy(s => s.Flow))
        {
            var first = flow.First();
            lenses.Add(new CodeLens(Point(first.Line, first.Column), new Command("Run flow", "sharpflow.run", [uri, flow.Key])));
            lenses.Add(new CodeLens(Point(first.Line, first.Column), new Command("Run changed steps", "sharpflow.runChanged", [uri, flow.Key])));
            // Whether each step is the code an earlier run ran: a label, no command.
            var changes = (await _runFacts.StepChangesAsync(flow.Key, flow.Where(s => s.CodeHash is not null).Select(s => (s.Step, s.CodeHash!)), cancellationToken).ConfigureAwait(false))
                .Where(c => c.RunId is not null).ToDictionary(c => c.Step, StringComparer.Ordinal);
            foreach (var step in flow)
            {
                if (changes.TryGetValue(step.Step, out var change))
                {
                    lenses.Add(new CodeLens(Point(step.Line, step.Column), new Command($"{change.Status} since run {change.RunId}", "", [])));
                }
                lenses.Add(new CodeLens(Point(step.Line, step.Column), new Command("Resume from here", "sharpflow.resume", [uri, flow.Key, step.Step])));
                lenses.Add(new CodeLens(Point(step.Line, step.Column), new Command("Spin this step", "sharpflow.spin", [uri, flow.Key, step.Step])));
                if (step.Compute is { } backend)
                {
                    // A step with [Resources]: offload it; without a compute attribute the editor asks which backend.
                    var title = backend.Length > 0 ? $"Run on {backend}" : "Run on…";
                    lenses.Add(new CodeLens(Point(step.Line, step.Column), new Command(title, "sharpflow.runRemote", [uri, flow.Key, step.Step, backend.Length > 0 ? backend : null])));
                }
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

    /// <summary>
    /// <c>sharpflow.showGraph [uri, flow, run?]</c>: the flow's graph as HTML (its SVG and the status colors), each step
    /// colored by a run of the flow (<c>latest</c> or a run id) when one is named: the editor redraws it while the run is
    /// active. Null when the document has no such flow.
    /// </summary>
    [JsonRpcMethod("workspace/executeCommand")]
    public async Task<GraphView?> ExecuteCommandAsync(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        if (parameters.Command != ShowGraphCommand || parameters.Arguments is not { Count: 2 or 3 } arguments)
        {
            throw new LocalRpcException($"Unknown command '{parameters.Command}' or arguments; use {ShowGraphCommand} [documentUri, flowName, run?].") { ErrorCode = -32602 };
        }
        var analysis = await AnalysisAsync(arguments[0].GetString()!, cancellationToken).ConfigureAwait(false);
        // No flow named (the palette): the document's only flow.
        var flow = arguments[1].ValueKind == JsonValueKind.String ? arguments[1].GetString()! : analysis.Graphs.Count == 1 ? analysis.Graphs.Keys.Single() : "";
        if (!analysis.Graphs.TryGetValue(flow, out var svg))
        {
            return null;
        }
        var run = arguments is [_, _, { ValueKind: JsonValueKind.String } named] ? named.GetString() : null;
        return run is null ? new GraphView(flow, $"<style>{GraphSvgRenderer.Style}</style>{svg}", null, null, false)
            : await Task.Run(() => _runExplorer.Graph(flow, run, svg), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The outline: each flow with its steps.</summary>
    [JsonRpcMethod("textDocument/documentSymbol")]
    public async Task<IReadOnlyList<DocumentSymbol>> DocumentSymbolsAsync(CodeLensParams parameters, CancellationToken cancellationToken)
    {
        var analysis = await AnalysisAsync(parameters.TextDocument.Uri, cancellationToken).ConfigureAwait(false);
        return analysis.Steps.GroupBy(s => s.Flow).Select(flow =>
        {
            var children = flow.Select(s => new DocumentSymbol(s.Step, "step", 6, Point(s.Line, s.Column, s.Step.Length), Point(s.Line, s.Column, s.Step.Length), [])).ToArray();
            var first = children[0].Range;
            return new DocumentSymbol(flow.Key, "flow", 5, new Protocol.Range(first.Start, children[^1].Range.End), first, children);
        }).ToArray();
    }

    /// <summary>
    /// On a step's name: its problems and the latest run's facts for it. On an artifact (its declaration or a use in
    /// the flow): its type and latest stored value. The datastore is read off the message loop and the request can be cancelled.
    /// </summary>
    [JsonRpcMethod("textDocument/hover")]
    public async Task<Hover?> HoverAsync(TextDocumentPositionParams parameters, CancellationToken cancellationToken)
    {
        var analysis = await AnalysisAsync(parameters.TextDocument.Uri, cancellationToken).ConfigureAwait(false);
        var position = parameters.Position;
        var step = analysis.Steps.FirstOrDefault(s => s.Line == position.Line && position.Character >= s.Column && position.Character <= s.Column + s.Step.Length);
        if (step is not null)
        {
            var problems = analysis.Diagnostics.Where(d => d.Diagnostic.Step == step.Step).Select(d => $"- {d.Diagnostic.Rule.Id}: {d.Diagnostic.Message}");
            var facts = await Task.Run(() => _runFacts.StepFacts(step.Flow, step.Step), cancellationToken).ConfigureAwait(false);
            var shape = $"{(step.Transition is { } next ? $"→ `{next}`" : "no transition")}{(step.Decorators.Count > 0 ? $" · decorators: {string.Join(", ", step.Decorators.Select(d => $"`[{d}]`"))}" : "")}";
            var text = $"**Step `{step.Step}`** of flow `{step.Flow}`\n\n{shape}\n\n{string.Join('\n', problems)}{facts}";
            return new Hover(new MarkupContent("markdown", text), Point(step.Line, step.Column, step.Step.Length));
        }
        if (_documents.TryGetValue(parameters.TextDocument.Uri, out var document)
            && new FlowSyntax(document.Text).ArtifactAt(position.Line, position.Character) is { } artifact)
        {
            var facts = await Task.Run(() => _runFacts.ArtifactFacts(artifact.Flow, artifact.Name), cancellationToken).ConfigureAwait(false);
            var text = $"**Artifact `{artifact.Name}`** (`{artifact.Type}`) of flow `{artifact.Flow}`{facts}";
            return new Hover(new MarkupContent("markdown", text), Point(artifact.Line, artifact.Column, artifact.Name.Length));
        }
        return null;
    }

    /// <summary>
    /// <c>sharpflow/artifactValue {flow, run, step, task, name}</c>: one artifact's value as indented JSON, for the
    /// editor's read-only view of an artifact (the runs view's "Open value").
    /// </summary>
    [JsonRpcMethod("sharpflow/artifactValue")]
    public Task<ArtifactValue> ArtifactValueAsync(ArtifactRequest request, CancellationToken cancellationToken) =>
        Task.Run(() => _runFacts.ArtifactValue(request.Flow, request.Run, request.Step, request.Task, request.Name), cancellationToken);

    /// <summary>
    /// <c>sharpflow/runTree {flow?, run?, step?, task?, namespace?, tag?}</c>: the rows of the editor's runs view below
    /// the one named, from the datastore (local or S3) through the Client API.
    /// </summary>
    [JsonRpcMethod("sharpflow/runTree")]
    public Task<IReadOnlyList<RunTreeItem>> RunTreeAsync(RunTreeRequest request, CancellationToken cancellationToken) =>
        Task.Run(() => _runExplorer.Children(request), cancellationToken);

    /// <summary><c>sharpflow/card {flow, run, step, task}</c>: the task's first card as HTML, or null when it has none.</summary>
    [JsonRpcMethod("sharpflow/card")]
    public Task<CardContent?> CardAsync(CardRequest request, CancellationToken cancellationToken) =>
        Task.Run(() => _runExplorer.Card(request), cancellationToken);

    /// <summary>Quick fixes for the diagnostics in the request's context whose fix is obvious (SF0004: add Next(End); SF0002: create End).</summary>
    [JsonRpcMethod("textDocument/codeAction")]
    public IReadOnlyList<CodeAction> CodeActions(CodeActionParams parameters)
    {
        if (!_documents.TryGetValue(parameters.TextDocument.Uri, out var document))
        {
            return [];
        }
        return parameters.Context.Diagnostics
            .Where(d => d.Source == "sharpflow")
            .SelectMany(d => QuickFixes.For(document.Text, d.Code, d.Range.Start.Line, d.Range.Start.Character).Select(fix => new CodeAction(
                fix.Title, "quickfix", [d],
                new WorkspaceEdit(new Dictionary<string, IReadOnlyList<TextEdit>>
                {
                    [parameters.TextDocument.Uri] = [new TextEdit(new Protocol.Range(new Position(fix.Edit.StartLine, fix.Edit.StartColumn), new Position(fix.Edit.EndLine, fix.Edit.EndColumn)), fix.Edit.NewText)],
                }),
                IsPreferred: true)))
            .ToArray();
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

    /// <summary>The latest analysis of a document, or a fresh one computed off the message loop.</summary>
    private async Task<FlowAnalysis> AnalysisAsync(string uri, CancellationToken cancellationToken) =>
        _analyses.TryGetValue(uri, out var known) ? known : await Task.Run(() => Analyze(uri), cancellationToken).ConfigureAwait(false);

    private void Schedule(string uri, int version)
    {
        // A notebook's generation moves on with every change to any of its cells; only the newest analysis is published.
        var generation = uri.StartsWith(NotebookCellScheme, StringComparison.Ordinal)
            ? _notebookGeneration.AddOrUpdate(NotebookOf(uri), 1, (_, g) => g + 1)
            : 0;
        _ = Task.Run(async () =>
        {
            try
            {
                await (uri.StartsWith(NotebookCellScheme, StringComparison.Ordinal)
                    ? AnalyzeNotebookAsync(NotebookOf(uri), generation)
                    : AnalyzeDocumentAsync(uri, version)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Analysis runs off the message loop: its failure is reported to the client's output, not lost.
                await _rpc.NotifyWithParameterObjectAsync("window/logMessage", new LogMessageParams(1, $"Sharpflow could not analyse {uri}: {e}")).ConfigureAwait(false);
            }
        });
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
        var folder = Uri.TryCreate(notebook, UriKind.Absolute, out var parsed) ? Path.GetDirectoryName(Uri.UnescapeDataString(parsed.AbsolutePath)) : null;
        var analyses = FlowDocumentAnalyzer.AnalyzeCells(cells.Select(c => c.Value.Text).ToArray(), folder is null ? [] : [folder]);
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
            ? FlowDocumentAnalyzer.AnalyzeInProject(document.Text, path, OpenText, _runFacts.HasRuns)
            : FlowDocumentAnalyzer.Analyze(document.Text, uri, hashStepsOf: _runFacts.HasRuns);
    }

    private string? OpenText(string path) =>
        _documents.TryGetValue(new Uri(path).AbsoluteUri, out var open) ? open.Text : null;

    private Task Publish(string uri, int? version, IReadOnlyList<Protocol.Diagnostic> diagnostics) =>
        _rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(uri, version, diagnostics));

    private static Protocol.Diagnostic ToLsp(FlowDiagnostic d) => new(
        new Protocol.Range(new Position(d.StartLine, d.StartColumn), new Position(d.EndLine, d.EndColumn)),
        d.Diagnostic.Rule.Severity switch { RuleSeverity.Error => 1, RuleSeverity.Warning => 2, _ => 3 }, d.Diagnostic.Rule.Id, "sharpflow", d.Diagnostic.Message,
        d.Related is { } related
            ? [new DiagnosticRelatedInformation(new Location(new Uri(Path.GetFullPath(related.Path)).AbsoluteUri, Point(related.Line - 1, 0)), related.Message)]
            : null);

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
