// Reads a local datastore's records for the run explorer: flows, runs (status, duration, tags), steps, tasks and
// their artifacts (name, type, size), and task cards. The records are the JSON files the runtime writes
// (<Flow>/<run>/_meta/run.json, .../<step>/<task>/_meta/task.json and <attempt>.artifacts.json).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RunInfo {
  flow: string;
  id: string;
  status: string;
  createdAt: string;
  finishedAt?: string | null;
  tags: string[];
}

export interface TaskInfo {
  flow: string;
  run: string;
  step: string;
  id: string;
  status: string;
  attempt: number;
  foreach: string;
}

export interface ArtifactInfo {
  name: string;
  type: string;
  size: number;
}

const read = <T>(file: string): T | undefined => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined);
const folders = (folder: string): string[] =>
  fs.existsSync(folder) ? fs.readdirSync(folder, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name) : [];

/** The flows with runs in the datastore. */
export function flows(root: string): string[] {
  return folders(root).filter(flow => runs(root, flow).length > 0).sort();
}

type RunOwner = { host: string; processId: number; processStartedAt: string };
type RunRecord = { status: string; createdAt: string; finishedAt?: string; systemTags?: string[]; tags?: string[]; owner?: RunOwner };

/** How old another host's heartbeat may be before its run counts as crashed (the runtime's RunOwner.HeartbeatExpiry). */
export const heartbeatExpiryMs = 2 * 60_000;

/**
 * A run's status as the Client API derives it: a run left "Running" whose owner process is gone is "Crashed" (on this
 * host: its process, the same one by start time; elsewhere: its heartbeat is too old).
 */
export function liveStatus(record: RunRecord, heartbeatFile: string, now: Date = new Date()): string {
  if (record.status !== 'Running' || !record.owner) {
    return record.status;
  }
  const owner = record.owner;
  // .NET's Environment.MachineName is the host name up to its first dot. Without /proc (macOS, Windows) this host's
  // processes cannot be checked here: the heartbeat decides, as for another host.
  if (owner.host !== os.hostname().split('.')[0] || !fs.existsSync('/proc/stat')) {
    const lastSeen = read<{ at: string }>(heartbeatFile)?.at ?? record.createdAt;
    return now.getTime() - Date.parse(lastSeen) < heartbeatExpiryMs ? 'Running' : 'Crashed';
  }
  const started = processStartTime(owner.processId);
  return started !== undefined && Math.abs(started - Date.parse(owner.processStartedAt)) < 2000 ? 'Running' : 'Crashed';
}

/** When a process on this machine started (ms since the epoch), or undefined when there is no such process. */
function processStartTime(pid: number): number | undefined {
  try {
    // Linux: field 22 of /proc/<pid>/stat is the start in clock ticks (100 per second) after boot (btime in /proc/stat).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))![1]);
    return boot * 1000 + ticks * 10;
  } catch {
    return undefined; // no such process
  }
}

/** A flow's runs, newest first, optionally only those with a tag (namespace tags are tags too). */
export function runs(root: string, flow: string, tag?: string): RunInfo[] {
  const result: RunInfo[] = [];
  for (const id of folders(path.join(root, flow)).filter(name => name !== 'data' && name !== 'packages')) {
    const record = read<RunRecord>(path.join(root, flow, id, '_meta', 'run.json'));
    if (record) {
      result.push({ flow, id, status: liveStatus(record, path.join(root, flow, id, '_meta', 'heartbeat.json')), createdAt: record.createdAt, finishedAt: record.finishedAt, tags: [...(record.systemTags ?? []), ...(record.tags ?? [])] });
    }
  }
  return result.filter(run => !tag || run.tags.includes(tag)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The run's steps that have tasks, in the order their first task started. */
export function steps(root: string, flow: string, run: string): string[] {
  return folders(path.join(root, flow, run))
    .filter(step => step !== '_meta' && tasks(root, flow, run, step).length > 0)
    .sort((a, b) => firstStart(root, flow, run, a).localeCompare(firstStart(root, flow, run, b)));
}

function firstStart(root: string, flow: string, run: string, step: string): string {
  return folders(path.join(root, flow, run, step))
    .map(task => read<{ startedAt: string }>(path.join(root, flow, run, step, task, '_meta', 'task.json'))?.startedAt ?? '')
    .sort()[0] ?? '';
}

/** A step's tasks, by task id. */
export function tasks(root: string, flow: string, run: string, step: string): TaskInfo[] {
  return folders(path.join(root, flow, run, step))
    .map(id => ({ id, record: read<{ status: string; attempt: number; splits?: { index: number }[] }>(path.join(root, flow, run, step, id, '_meta', 'task.json')) }))
    .filter(t => t.record !== undefined)
    .map(t => ({ flow, run, step, id: t.id, status: t.record!.status, attempt: t.record!.attempt, foreach: (t.record!.splits ?? []).map(s => s.index).join('.') }))
    .sort((a, b) => Number(a.id) - Number(b.id));
}

/** The artifacts the task's last attempt stored: name, short type name, size (kept in task.json, or beside it by older versions). */
export function artifacts(root: string, task: TaskInfo): ArtifactInfo[] {
  type Index = { artifacts: Record<string, { type: string; size: number }> };
  const meta = path.join(root, task.flow, task.run, task.step, task.id, '_meta');
  const index = read<{ artifacts?: Index }>(path.join(meta, 'task.json'))?.artifacts ?? read<Index>(path.join(meta, `${task.attempt}.artifacts.json`));
  return Object.entries(index?.artifacts ?? {}).map(([name, a]) => ({ name, type: shortType(a.type), size: a.size })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The task's card files (HTML), by id. */
export function cards(root: string, task: TaskInfo): string[] {
  const folder = path.join(root, task.flow, task.run, task.step, task.id, '_cards');
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter(f => f.endsWith('.html')).map(f => path.join(folder, f)).sort() : [];
}

/** `System.Collections.Generic.List`1[[System.String, ...]], ...` → `List<String>`. */
export function shortType(stored: string): string {
  const generic = stored.match(/^([\w.]+)`\d+\[(.*)\], [\w.]+$/);
  if (generic) {
    const args = [...generic[2].matchAll(/\[([^,\[\]]+)(?:, [^\[\]]+)?\]/g)].map(m => shortType(m[1]));
    return `${generic[1].split('.').pop()}<${args.join(', ')}>`;
  }
  return stored.split(',')[0].split('.').pop() ?? stored;
}

/** How long a run took (or has been running), as "1.2 s" / "3 min". */
export function duration(run: RunInfo, now: Date = new Date()): string {
  const milliseconds = (run.finishedAt ? Date.parse(run.finishedAt) : now.getTime()) - Date.parse(run.createdAt);
  return milliseconds < 60_000 ? `${(milliseconds / 1000).toFixed(1)} s` : `${Math.round(milliseconds / 60_000)} min`;
}
