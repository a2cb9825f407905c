// The Sharpflow language server, driven over stdio by an independent LSP client: the npm package
// vscode-languageserver-protocol (the same protocol library VS Code's client is built on).
// Run by LspClientTests (xunit), which builds the server and prepares a datastore with a past run of LspFlow:
//   SHARPFLOW_LSP_SERVER=path/to/Sharpflow.LanguageServer.dll SHARPFLOW_TEST_DATASTORE=dir node --test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, PublishDiagnosticsNotification,
  CodeLensRequest, HoverRequest, CompletionRequest, CodeActionRequest, DefinitionRequest, DocumentSymbolRequest,
  DiagnosticSeverity,
} from 'vscode-languageserver-protocol/node.js';

const serverDll = process.env.SHARPFLOW_LSP_SERVER;
const datastore = process.env.SHARPFLOW_TEST_DATASTORE;
assert.ok(serverDll, 'set SHARPFLOW_LSP_SERVER to the built Sharpflow.LanguageServer.dll');
assert.ok(datastore, 'set SHARPFLOW_TEST_DATASTORE to a datastore holding a run of LspFlow');

const flowSource = `using Sharpflow;

public class LspFlow : FlowSpec
{
    public double Accuracy;
    public string? Model;
    public string? Report;

    [Step] public void Start() => Next(Train);

    [Step, Resources(Gpu = 1)]
    public void Train()
    {
        Report = $"trained {Model}";
        Accuracy = 0.93;
    }

    [Step] public void End() { }
}
`;

/** Starts the server and an LSP connection; collects every publishDiagnostics by URI. */
function startServer() {
  const server = spawn('dotnet', [serverDll], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', chunk => { stderr += chunk; });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const waiters = [];
  const published = [];
  connection.onNotification(PublishDiagnosticsNotification.type, params => {
    published.push(params);
    for (const waiter of [...waiters]) {
      if (waiter.match(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  connection.listen();
  /** The first publishDiagnostics (already received or coming) that satisfies match. */
  const diagnostics = (match, what) => {
    const seen = published.find(match);
    if (seen) {
      published.splice(published.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no publishDiagnostics ${what} within 60 s; server stderr: ${stderr}`)), 60_000);
      waiters.push({ match, resolve: value => { clearTimeout(timer); published.splice(published.indexOf(value), 1); resolve(value); } });
    });
  };
  return { server, connection, diagnostics, stderr: () => stderr };
}

test('diagnostics, quick fixes, lenses, hovers, completion and notebook cells over stdio', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'sharpflow-lsp-'));
  const { server, connection, diagnostics } = startServer();
  const exited = new Promise(resolve => server.on('exit', code => resolve(code)));
  try {
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: pathToFileURL(folder).href, capabilities: {}, initializationOptions: { datastoreRoot: datastore },
    });
    assert.equal(init.capabilities.textDocumentSync.change, 2, 'incremental sync');
    assert.ok(init.capabilities.hoverProvider);
    assert.deepEqual(init.capabilities.codeActionProvider.codeActionKinds, ['quickfix']);
    assert.equal(init.serverInfo.name, 'sharpflow-language-server');
    await connection.sendNotification(InitializedNotification.type, {});

    // didOpen: the runtime's rules (Train has no Next, so End is unreachable), an editor warning (Report reads Model, never assigned before)
    // and an information (a GPU step with no compute backend), each with its severity and on the right line.
    const path = join(folder, 'LspFlow.cs');
    writeFileSync(path, flowSource);
    const uri = pathToFileURL(path).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'csharp', version: 1, text: flowSource } });
    const opened = await diagnostics(p => p.uri === uri && p.version === 1, 'for the opened file');
    const byCode = Object.fromEntries(opened.diagnostics.map(d => [d.code, d]));
    assert.deepEqual(Object.keys(byCode).sort(), ['SF0004', 'SF0007', 'SF0102', 'SF0108']);
    assert.equal(byCode.SF0004.severity, DiagnosticSeverity.Error);
    assert.equal(byCode.SF0004.range.start.line, 11, 'on the Train method name');
    assert.match(byCode.SF0004.message, /Flow 'LspFlow', step 'Train'/);
    assert.equal(byCode.SF0102.severity, DiagnosticSeverity.Warning);
    assert.equal(byCode.SF0102.range.start.line, 13, "on the read of 'Model'");
    assert.match(byCode.SF0102.message, /reads 'Model'/);
    assert.equal(byCode.SF0108.severity, DiagnosticSeverity.Information);
    assert.equal(byCode.SF0004.source, 'sharpflow');

    // The quick fix for SF0004 is an edit that adds Next(End); applying it (as the editor would) clears the error.
    const actions = await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: byCode.SF0004.range, context: { diagnostics: [byCode.SF0004] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Add Next(End);');
    assert.equal(actions[0].kind, 'quickfix');
    const [edit] = actions[0].edit.changes[uri];
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 }, contentChanges: [{ range: edit.range, text: edit.newText }],
    });
    const fixed = await diagnostics(p => p.uri === uri && p.version === 2, 'after the quick fix');
    assert.deepEqual(fixed.diagnostics.map(d => d.code).sort(), ['SF0102', 'SF0108']);

    // Code lenses: run the flow, and for the GPU step an offload lens the editor resolves to a backend.
    const lenses = await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    const titles = lenses.map(l => l.command.title);
    assert.ok(titles.includes('Run flow'));
    assert.equal(titles.filter(t => t === 'Resume from here').length, 3);
    const remote = lenses.find(l => l.command.command === 'sharpflow.runRemote');
    assert.deepEqual(remote.command.arguments, [uri, 'LspFlow', 'Train', null]);
    assert.equal(remote.range.start.line, 11);

    // Hovers read the datastore: the step's latest run, and an artifact's latest stored value.
    const stepHover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 11, character: 17 } });
    assert.match(stepHover.contents.value, /\*\*Step `Train`\*\* of flow `LspFlow`/);
    assert.match(stepHover.contents.value, /→ `Next\(End\)` · decorators: `\[Resources\(Gpu = 1\)\]`/);
    assert.match(stepHover.contents.value, /Latest run \d+\*\* \(Succeeded\): 1 task\(s\), 1 succeeded/);
    const artifactHover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 14, character: 10 } });
    assert.match(artifactHover.contents.value, /\*\*Artifact `Accuracy`\*\* \(`double`\) of flow `LspFlow`/);
    assert.match(artifactHover.contents.value, /0\.93/);
    assert.match(artifactHover.contents.value, /LspFlow\/\d+\/End\/\d+/, 'the value stored by the last step that has it');

    // Completion of step names inside Next(, and go to definition from Next(Train).
    const completions = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 8, character: 40 } });
    assert.deepEqual(completions.map(c => c.label), ['Start', 'Train', 'End']);
    const definition = await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 8, character: 42 } });
    assert.equal(definition.range.start.line, 11);
    const outline = await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    assert.deepEqual(outline[0].children.map(c => c.name), ['Start', 'Train', 'End']);

    // A notebook: its C# cells are compiled together in order; the diagnostic lands in the second cell, line 3.
    const notebook = 'vscode-notebook-cell:' + pathToFileURL(join(folder, 'train.ipynb')).pathname;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: `${notebook}#W0sZmlsZQ==`, languageId: 'csharp', version: 1, text: '#r "nuget: Sharpflow.Interactive, *-*"\nusing Sharpflow;\n' },
    });
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: {
        uri: `${notebook}#W1sZmlsZQ==`, languageId: 'csharp', version: 1,
        text: 'public class CellFlow : FlowSpec\n{\n    [Step] public void Start() => Next(Train);\n    [Step] public void Train() { }\n    [Step] public void End() { }\n}\n',
      },
    });
    const cell = await diagnostics(p => p.uri === `${notebook}#W1sZmlsZQ==` && p.diagnostics.length > 0, 'for the notebook cell');
    assert.equal(cell.diagnostics[0].code, 'SF0004');
    assert.equal(cell.diagnostics[0].range.start.line, 3);

    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, 'the server exits cleanly after shutdown/exit');
  } finally {
    connection.dispose();
    if (server.exitCode === null) {
      server.kill('SIGKILL');
    }
    rmSync(folder, { recursive: true, force: true });
  }
});
