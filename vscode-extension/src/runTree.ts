// The "Sharpflow runs" view: flows → runs (status icon, duration, tags) → steps → tasks → artifacts, read from the
// datastore, refreshed every few seconds while a run is active. Filters by namespace and tag come from the settings.
import * as vscode from 'vscode';
import * as store from './datastore';

type Node =
  | { kind: 'flow'; flow: string }
  | { kind: 'run'; run: store.RunInfo }
  | { kind: 'step'; flow: string; run: string; step: string }
  | { kind: 'task'; task: store.TaskInfo }
  | { kind: 'artifact'; task: store.TaskInfo; artifact: store.ArtifactInfo };

const statusIcon: Record<string, string> = { Succeeded: 'pass', Failed: 'error', Running: 'sync~spin', Cancelled: 'circle-slash' };

export class RunTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  private readonly timer: NodeJS.Timeout;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly root: () => string) {
    // While any run is active, keep the view current.
    this.timer = setInterval(() => {
      if (store.flows(this.root()).some(flow => store.runs(this.root(), flow).some(run => run.status === 'Running'))) {
        this.refresh();
      }
    }, 2000);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
  }

  getChildren(node?: Node): Node[] {
    const root = this.root();
    const settings = vscode.workspace.getConfiguration('sharpflow');
    if (!node) {
      return store.flows(root).map(flow => ({ kind: 'flow', flow }));
    }
    switch (node.kind) {
      case 'flow': {
        const namespace = settings.get<string>('namespaceFilter') || undefined;
        const tag = settings.get<string>('tagFilter') || undefined;
        return store.runs(root, node.flow, namespace).filter(run => !tag || run.tags.includes(tag)).map(run => ({ kind: 'run', run }));
      }
      case 'run':
        return store.steps(root, node.run.flow, node.run.id).map(step => ({ kind: 'step', flow: node.run.flow, run: node.run.id, step }));
      case 'step':
        return store.tasks(root, node.flow, node.run, node.step).map(task => ({ kind: 'task', task }));
      case 'task':
        return store.artifacts(root, node.task).map(artifact => ({ kind: 'artifact', task: node.task, artifact }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'flow':
        return Object.assign(new vscode.TreeItem(node.flow, collapsed), { contextValue: 'flow', iconPath: new vscode.ThemeIcon('type-hierarchy') });
      case 'run': {
        const item = new vscode.TreeItem(`${node.run.id}`, collapsed);
        item.description = `${node.run.status.toLowerCase()} · ${store.duration(node.run)}${node.run.tags.filter(t => !t.includes(':')).map(t => ` · ${t}`).join('')}`;
        item.tooltip = node.run.tags.join(', ');
        item.iconPath = new vscode.ThemeIcon(statusIcon[node.run.status] ?? 'circle-outline');
        item.contextValue = 'run';
        return item;
      }
      case 'step':
        return Object.assign(new vscode.TreeItem(node.step, collapsed), { contextValue: 'step', iconPath: new vscode.ThemeIcon('symbol-method') });
      case 'task': {
        const item = new vscode.TreeItem(`task ${node.task.id}`, collapsed);
        item.description = `${node.task.status.toLowerCase()}${node.task.foreach ? ` · foreach ${node.task.foreach}` : ''}${node.task.attempt > 0 ? ` · attempt ${node.task.attempt}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(statusIcon[node.task.status] ?? 'circle-outline');
        item.contextValue = 'task';
        item.command = store.cards(this.root(), node.task).length > 0 ? { command: 'sharpflow.openCard', title: 'Open card', arguments: [node] } : undefined;
        return item;
      }
      case 'artifact': {
        const item = new vscode.TreeItem(node.artifact.name, vscode.TreeItemCollapsibleState.None);
        item.description = `${node.artifact.type} · ${node.artifact.size} bytes`;
        item.tooltip = `${node.task.flow}/${node.task.run}/${node.task.step}/${node.task.id}/${node.artifact.name}`;
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        item.contextValue = 'artifact';
        item.command = { command: 'sharpflow.openValue', title: 'Open value', arguments: [node] };
        return item;
      }
    }
  }
}

export type RunTreeNode = Node;
