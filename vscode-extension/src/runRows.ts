// The rows of the "Sharpflow runs" view as the language server sends them (sharpflow/runTree, read through the Client
// API from a local or S3 datastore), and how each is shown; no VS Code API here, so node's test runner checks it.

/** One row: what it is, its words, its status (runs and tasks) and where it is. */
export interface RunRow {
  kind: 'flow' | 'run' | 'step' | 'task' | 'artifact';
  label: string;
  description?: string | null;
  tooltip?: string | null;
  status?: string | null;
  flow: string;
  run?: string | null;
  step?: string | null;
  task?: string | null;
  artifact?: string | null;
  hasCard?: boolean;
  /** For a flow: one of its runs is still running. */
  active?: boolean;
}

/** What sharpflow/runTree takes: the row whose children are wanted (none: the flows), and the view's filters. */
export interface RunTreeRequest {
  flow?: string;
  run?: string;
  step?: string;
  task?: string;
  namespace?: string;
  tag?: string;
}

/** How a row is shown: its icon (a codicon), whether it expands, its context value and the command a click runs. */
export interface RowView {
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  expandable: boolean;
  contextValue: string;
  command?: 'sharpflow.openCard' | 'sharpflow.openValue';
}

const statusIcon: Record<string, string> = { Succeeded: 'pass', Failed: 'error', Running: 'sync~spin', Cancelled: 'circle-slash', Crashed: 'warning' };
const kindIcon: Record<string, string> = { flow: 'type-hierarchy', step: 'symbol-method', artifact: 'symbol-field' };

/** The request for a row's children (the root's when undefined), with the view's filters. */
export function childrenRequest(row: RunRow | undefined, filters: { namespace?: string; tag?: string }): RunTreeRequest {
  const request: RunTreeRequest = { namespace: filters.namespace || undefined, tag: filters.tag || undefined };
  if (row) {
    request.flow = row.flow;
    request.run = row.run ?? undefined;
    request.step = row.step ?? undefined;
    request.task = row.task ?? undefined;
  }
  return request;
}

/** How a row is shown. */
export function viewOf(row: RunRow): RowView {
  return {
    label: row.label,
    description: row.description ?? undefined,
    tooltip: row.tooltip ?? undefined,
    icon: row.status ? statusIcon[row.status] ?? 'circle-outline' : kindIcon[row.kind] ?? 'circle-outline',
    expandable: row.kind !== 'artifact',
    contextValue: row.kind,
    command: row.kind === 'task' && row.hasCard ? 'sharpflow.openCard' : row.kind === 'artifact' ? 'sharpflow.openValue' : undefined,
  };
}
