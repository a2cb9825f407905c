using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sharpflow.LanguageServer.Protocol;

// The few LSP 3.17 types this server speaks, as plain records (camelCase on the wire).

internal sealed record Position(int Line, int Character);

internal sealed record Range(Position Start, Position End);

internal sealed record TextDocumentIdentifier(string Uri);

internal sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

internal sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

internal sealed record TextDocumentContentChangeEvent(Range? Range, string Text);

internal sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

internal sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, IReadOnlyList<TextDocumentContentChangeEvent> ContentChanges);

internal sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

internal sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

internal sealed record CodeLensParams(TextDocumentIdentifier TextDocument);

/// <summary>A diagnostic; severity 1 = error, 2 = warning, 3 = information.</summary>
internal sealed record Diagnostic(
    Range Range, int Severity, string Code, string Source, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DiagnosticRelatedInformation>? RelatedInformation = null);

internal sealed record DiagnosticRelatedInformation(Location Location, string Message);

internal sealed record PublishDiagnosticsParams(string Uri, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version, IReadOnlyList<Diagnostic> Diagnostics);

internal sealed record CodeActionContext(IReadOnlyList<Diagnostic> Diagnostics);

internal sealed record CodeActionParams(TextDocumentIdentifier TextDocument, Range Range, CodeActionContext Context);

internal sealed record TextEdit(Range Range, string NewText);

internal sealed record WorkspaceEdit(IReadOnlyDictionary<string, IReadOnlyList<TextEdit>> Changes);

/// <summary>A quick fix (kind <c>quickfix</c>) with the edit that applies it.</summary>
internal sealed record CodeAction(string Title, string Kind, IReadOnlyList<Diagnostic> Diagnostics, WorkspaceEdit Edit, bool IsPreferred);

internal sealed record LogMessageParams(int Type, string Message);

/// <summary>Which artifact <c>sharpflow/artifactValue</c> is asked for.</summary>
internal sealed record ArtifactRequest(string Flow, string Run, string Step, string Task, string Name);

internal sealed record Command(string Title, [property: JsonPropertyName("command")] string Name, IReadOnlyList<object?> Arguments);

internal sealed record CodeLens(Range Range, Command Command);

internal sealed record MarkupContent(string Kind, string Value);

internal sealed record Hover(MarkupContent Contents, Range? Range);

/// <summary>An outline entry (LSP DocumentSymbol); kind 5 = class, 6 = method.</summary>
internal sealed record DocumentSymbol(string Name, string Detail, int Kind, Range Range, Range SelectionRange, IReadOnlyList<DocumentSymbol> Children);

/// <summary>A completion item; kind 2 = method (steps), 5 = field (artifacts).</summary>
internal sealed record CompletionItem(string Label, int Kind, string Detail);

internal sealed record Location(string Uri, Range Range);

internal sealed record ExecuteCommandParams(string Command, IReadOnlyList<JsonElement>? Arguments);

internal sealed record ServerCapabilities(
    object TextDocumentSync, object CodeLensProvider, bool HoverProvider, bool DocumentSymbolProvider, object CompletionProvider, bool DefinitionProvider,
    object ExecuteCommandProvider, object CodeActionProvider);

internal sealed record InitializeResult(ServerCapabilities Capabilities, object ServerInfo);

internal static class LspJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
