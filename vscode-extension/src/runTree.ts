// The "Sharpflow runs" view: flows → runs (status icon, duration, tags) → steps → tasks → artifacts, asked of the
// language server (which reads local and S3 datastores alike), refreshed every few seconds while a run is active.
// Filters by namespace and tag come from the settings.
import * as vscode from 'vscode';
import { RunRow, RunTreeRequest, childrenRequest, viewOf } from './runRows';

/** Asks the language server for rows; undefined when it is not running. */
export type RunSource = (request: RunTreeRequest) => Promise<RunRow[] | undefined>;

export class RunTree implements vscode.TreeDataProvider<RunRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunRow | undefined>();
  private readonly timer: NodeJS.Timeout;
  private active = false;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly source: RunSource) {
    // While any run is active (as of the last listing), keep the view current.
    this.timer = setInterval(() => {
      if (this.active) {
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

  async getChildren(row?: RunRow): Promise<RunRow[]> {
    const settings = vscode.workspace.getConfiguration('sharpflow');
    try {
      const rows = await this.source(childrenRequest(row, { namespace: settings.get<string>('namespaceFilter'), tag: settings.get<string>('tagFilter') })) ?? [];
      if (!row) {
        this.active = rows.some(r => r.active);
      }
      return rows;
    } catch (error) {
      void vscode.window.showErrorMessage(`Sharpflow runs: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  getTreeItem(row: RunRow): vscode.TreeItem {
    const view = viewOf(row);
    const item = new vscode.TreeItem(view.label, view.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = view.description;
    item.tooltip = view.tooltip;
    item.iconPath = new vscode.ThemeIcon(view.icon);
    item.contextValue = view.contextValue;
    item.command = view.command ? { command: view.command, title: view.command === 'sharpflow.openCard' ? 'Open card' : 'Open value', arguments: [row] } : undefined;
    return item;
  }
}

export type RunTreeNode = RunRow;
