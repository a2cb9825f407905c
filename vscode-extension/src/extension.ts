// The Sharpflow extension: starts the language server (restarted when it dies, state in the status bar) for C#
// files and Polyglot notebook cells; runs, resumes, spins and offloads flows through their CLI from code lenses and
// the palette, with a live output channel per run; shows runs in a tree, cards and graphs in webviews.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State } from 'vscode-languageclient/node';
import { nonce, secureCard } from './cardHtml';
import { FlowAction, dotnetArguments, hostOf, parseOutcome, parseParameters } from './flowCommand';
import { RunRow } from './runRows';
import { RunTree, RunTreeNode } from './runTree';
import { noServerMessage, serverCommand } from './serverLocation';

let client: LanguageClient | undefined;
const activeRuns = new Map<string, cp.ChildProcess>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left);
  status.command = 'sharpflow.restartServer';
  context.subscriptions.push(status);
  const tree = new RunTree(request => client?.sendRequest<RunRow[]>('sharpflow/runTree', request) ?? Promise.resolve(undefined));
  context.subscriptions.push(tree, vscode.window.registerTreeDataProvider('sharpflowRuns', tree));

  const start = async () => {
    const server = serverOptions(context);
    if (!server) {
      status.text = '$(error) Sharpflow';
      status.tooltip = noServerMessage(process.platform, process.arch);
      status.show();
      void vscode.window.showErrorMessage(noServerMessage(process.platform, process.arch));
      return;
    }
    client = new LanguageClient('sharpflow', 'Sharpflow', server, clientOptions());
    client.onDidChangeState(e => {
      status.text = e.newState === State.Running ? '$(check) Sharpflow' : e.newState === State.Starting ? '$(sync~spin) Sharpflow' : '$(error) Sharpflow';
      status.tooltip = e.newState === State.Running ? 'Sharpflow language server is running' : 'Sharpflow language server stopped: click to restart';
    });
    status.show();
    await client.start();
    tree.refresh(); // the view asked before the server was up
  };
  const command = (name: string, action: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(name, action));

  command('sharpflow.restartServer', async () => {
    await client?.stop();
    await start();
  });
  command('sharpflow.run', (uri?: string, flow?: string) => runAction(uri, flow, { verb: 'run' }, tree));
  command('sharpflow.runChanged', (uri?: string, flow?: string) => runAction(uri, flow, { verb: 'run', reuse: true }, tree));
  command('sharpflow.runWithParameters', async (uri?: string, flow?: string) => {
    const text = await vscode.window.showInputBox({ prompt: 'Parameters as name=value, comma-separated', placeHolder: 'epochs=10, learning_rate=0.01' });
    if (text !== undefined) {
      await runAction(uri, flow, { verb: 'run', parameters: parseParameters(text) }, tree);
    }
  });
  command('sharpflow.resume', (uri?: string, flow?: string, step?: string) => runAction(uri, flow, { verb: 'resume', step }, tree));
  command('sharpflow.spin', (uri?: string, flow?: string, step?: string) => runAction(uri, flow, { verb: 'spin', step }, tree));
  command('sharpflow.runRemote', async (uri?: string, flow?: string, _step?: string, backend?: string | null) => {
    const chosen = backend || vscode.workspace.getConfiguration('sharpflow').get<string>('remoteBackend') || (await pickBackend());
    if (chosen) {
      await runAction(uri, flow, { verb: 'run', backend: chosen }, tree);
    }
  });
  // The official backends (each from its package: Sharpflow.Slurm, ...), or any other as NAME[:key=value,...].
  async function pickBackend(): Promise<string | undefined> {
    const other = 'Another backend or settings…';
    const pick = await vscode.window.showQuickPick(['slurm', 'ssh', 'kubernetes', other], { placeHolder: 'Run on which backend? (its package must be in the flow\'s project)' });
    return pick === other
      ? vscode.window.showInputBox({ prompt: 'The backend as --with takes it: NAME[:key=value,...]', placeHolder: 'slurm:partition=gpu,time_limit_minutes=30' })
      : pick;
  }
  command('sharpflow.cancelRun', async () => {
    const running = [...activeRuns.keys()];
    const pick = running.length === 1 ? running[0] : await vscode.window.showQuickPick(running, { placeHolder: 'Cancel which run?' });
    if (pick) {
      activeRuns.get(pick)?.kill('SIGINT'); // the CLI cancels its tasks (and remote jobs) and records the run as cancelled
    }
  });
  command('sharpflow.refreshRuns', () => tree.refresh());
  // Artifact values open as read-only documents (sharpflow-artifact:/Flow/run/step/task/name.json), read by the server.
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider('sharpflow-artifact', {
    provideTextDocumentContent: async uri => {
      const [flow, run, step, task, file] = uri.path.split('/').filter(part => part.length > 0);
      const value = await client?.sendRequest<{ pathspec: string; type: string; size: number; text: string }>('sharpflow/artifactValue',
        { flow, run, step, task, name: file.replace(/\.json$/, '') });
      return value ? value.text : '// the language server is not running';
    },
  }));
  command('sharpflow.openValue', async (node?: RunTreeNode) => {
    if (node?.kind === 'artifact') {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(`sharpflow-artifact:/${node.flow}/${node.run}/${node.step}/${node.task}/${node.artifact}.json`));
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'json'), { preview: true });
    }
  });
  command('sharpflow.openCard', async (node?: RunTreeNode) => {
    if (node?.kind === 'task') {
      const card = await client?.sendRequest<{ title: string; html: string } | null>('sharpflow/card', { flow: node.flow, run: node.run, step: node.step, task: node.task });
      if (card) {
        showCard(card.title, card.html);
      } else {
        void vscode.window.showInformationMessage(`Task ${node.run}/${node.step}/${node.task} has no card; add [Card] to the step.`);
      }
    }
  });
  // (sharpflow.showGraph itself is the server's command, which the client registers; this one shows its SVG.)
  // The graph, colored by the flow's latest run and redrawn every 2 s while it is in view (live step status as a run goes).
  command('sharpflow.graph', async (uri?: string, flow?: string) => {
    const document = uri ? vscode.Uri.parse(uri).toString() : vscode.window.activeTextEditor?.document.uri.toString();
    const ask = () => client?.sendRequest<GraphView | null>('workspace/executeCommand', { command: 'sharpflow.showGraph', arguments: [document, flow, 'latest'] });
    const first = await ask();
    if (!first) {
      void vscode.window.showInformationMessage('Sharpflow: no flow graph for this document yet. It has no flow, does not compile (see Problems), '
        + 'or is a file-based app that was never built (run it once, or dotnet build it).');
      return;
    }
    const panel = showCard(graphTitle(first), first.html);
    let shown = first.html;
    const timer = setInterval(async () => {
      const view = panel.visible ? await ask() : undefined;
      if (view && view.html !== shown) {
        shown = view.html;
        panel.title = `Sharpflow: ${graphTitle(view)}`;
        panel.webview.html = secureCard(view.html, nonce(), panel.webview.cspSource);
      }
    }, 2000);
    panel.onDidDispose(() => clearInterval(timer));
  });

  await start();
}

export async function deactivate(): Promise<void> {
  for (const run of activeRuns.values()) {
    run.kill('SIGINT');
  }
  await client?.stop();
}

/** The language server to start (see serverLocation.ts), or undefined when this platform has none. */
function serverOptions(context: vscode.ExtensionContext): ServerOptions | undefined {
  const settings = vscode.workspace.getConfiguration('sharpflow');
  return serverCommand({
    configured: settings.get<string>('languageServerPath'),
    extensionPath: context.extensionPath,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map(f => f.uri.fsPath),
    platform: process.platform,
    arch: process.arch,
    dotnet: settings.get<string>('dotnetPath') || 'dotnet',
    exists: fs.existsSync,
  });
}

function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: [{ scheme: 'file', language: 'csharp' }, { notebook: '*', language: 'csharp' }],
    initializationOptions: { datastoreRoot: datastoreRoot() },
    // The client restarts a server that dies (its default error handler gives up after repeated crashes).
  };
}

function datastoreRoot(): string {
  const configured = vscode.workspace.getConfiguration('sharpflow').get<string>('datastoreRoot');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  return configured || process.env.SHARPFLOW_DATASTORE_ROOT || path.join(folder, '.sharpflow');
}

/** Runs the flow's CLI for an action, streaming its progress into an output channel, and reports the outcome. */
async function runAction(uri: string | undefined, flow: string | undefined, action: FlowAction, tree: RunTree): Promise<void> {
  const document = uri ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showErrorMessage('Open a flow file first.');
    return;
  }
  const host = hostOf(document.uri.fsPath, document.getText(), folder => (fs.existsSync(folder) ? fs.readdirSync(folder) : []));
  const runIdFile = path.join(os.tmpdir(), `sharpflow-run-${Date.now()}.txt`);
  const args = dotnetArguments(host, { ...action, datastore: datastoreRoot(), runIdFile });
  const name = `${flow ?? path.basename(document.uri.fsPath, '.cs')} ${action.verb}${action.step ? ` ${action.step}` : ''}`;
  const output = vscode.window.createOutputChannel(`Sharpflow: ${name}`);
  output.show(true);
  output.appendLine(`$ dotnet ${args.join(' ')}`);
  const child = cp.spawn(vscode.workspace.getConfiguration('sharpflow').get<string>('dotnetPath') || 'dotnet', args, { cwd: path.dirname(host.path) });
  activeRuns.set(name, child);
  let stdout = '';
  child.stdout.on('data', chunk => {
    stdout += chunk;
    output.append(String(chunk));
  });
  child.stderr.on('data', chunk => output.append(String(chunk)));
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sharpflow: ${name}`, cancellable: true }, (progress, token) =>
    new Promise<void>(resolve => {
      token.onCancellationRequested(() => child.kill('SIGINT'));
      const poll = setInterval(() => {
        if (fs.existsSync(runIdFile)) {
          progress.report({ message: `run ${fs.readFileSync(runIdFile, 'utf8').trim()}` });
          tree.refresh();
        }
      }, 1000);
      child.on('close', code => {
        clearInterval(poll);
        activeRuns.delete(name);
        tree.refresh();
        refreshCodeLenses();
        const outcome = parseOutcome(stdout);
        if (code === 0) {
          void vscode.window.showInformationMessage(`Sharpflow: ${name}: ${outcome ? `run ${outcome.runId} ${outcome.status.toLowerCase()}` : 'done'}.`);
        } else {
          void vscode.window.showErrorMessage(`Sharpflow: ${name} failed${outcome?.error ? `: ${outcome.error}` : ` (exit code ${code}); see the output.`}`);
        }
        resolve();
      });
    }));
}

/** A card (or graph) in a webview under a strict Content-Security-Policy that lets its own inlined scripts run. */
function showCard(title: string, html: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('sharpflowCard', `Sharpflow: ${title}`, vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [] });
  panel.webview.html = secureCard(html, nonce(), panel.webview.cspSource);
  return panel;
}

/** The flow's graph as the server draws it, colored by a run (when there is one). */
interface GraphView {
  flow: string;
  html: string;
  run?: string | null;
  status?: string | null;
  active: boolean;
}

function graphTitle(view: GraphView): string {
  return view.run ? `${view.flow} graph · run ${view.run} ${view.status?.toLowerCase() ?? ''}` : `${view.flow} graph`;
}

/** The server's code lenses read the runs (which steps an earlier run ran unchanged): once a run ends they are asked for again. */
function refreshCodeLenses(): void {
  const feature = client?.getFeature('textDocument/codeLens');
  const shapes = new Set(vscode.window.visibleTextEditors.map(editor => feature?.getProvider(editor.document)).filter(shape => shape !== undefined));
  for (const shape of shapes) {
    shape.onDidChangeCodeLensEmitter.fire();
  }
}
