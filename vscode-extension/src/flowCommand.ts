// How the extension runs a flow: which program hosts the flow a document defines (its project, or the file itself
// as a file-based app), and the command line for each action. Pure logic, tested without VS Code.
import * as path from 'node:path';

/** What to `dotnet run`: a project file, or a file-based app (`dotnet run flow.cs`). */
export interface FlowHost {
  kind: 'project' | 'file';
  path: string;
}

/** One action on a flow, as the code lenses and commands ask for it. */
export interface FlowAction {
  verb: 'run' | 'resume' | 'spin';
  step?: string;
  parameters?: Record<string, string>;
  backend?: string;
  /** Reuse every task whose code and inputs are unchanged since an earlier run (`run --reuse`). */
  reuse?: boolean;
  datastore?: string;
  runIdFile?: string;
}

/**
 * The host of the flow in `documentPath`: a file with `#:` directives is a file-based app; otherwise the nearest
 * project file in its folder or above; a loose file with no project runs as a file-based app.
 */
export function hostOf(documentPath: string, text: string, listDirectory: (folder: string) => string[]): FlowHost {
  if (text.split('\n').some(line => line.trimStart().startsWith('#:'))) {
    return { kind: 'file', path: documentPath };
  }
  for (let folder = path.dirname(documentPath); ; folder = path.dirname(folder)) {
    const project = listDirectory(folder).filter(name => name.endsWith('.csproj')).sort()[0];
    if (project) {
      return { kind: 'project', path: path.join(folder, project) };
    }
    if (path.dirname(folder) === folder) {
      return { kind: 'file', path: documentPath };
    }
  }
}

/** `--my-param` for `MyParam` or `my_param`: the CLI's parameter names are kebab-case. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** The arguments to `dotnet` for an action: `run --project P -- run --json ...` or `run flow.cs -- ...`. */
export function dotnetArguments(host: FlowHost, action: FlowAction): string[] {
  const program = host.kind === 'project' ? ['run', '--project', host.path, '--'] : ['run', host.path, '--'];
  const args: string[] = [action.verb];
  if (action.verb === 'spin') {
    if (!action.step) {
      throw new Error('Spin needs a step.');
    }
    args.push(action.step, '--no-persist');
  } else if (action.verb === 'resume' && action.step) {
    args.push(action.step);
  }
  for (const [name, value] of Object.entries(action.parameters ?? {})) {
    args.push(`--${kebab(name)}`, value);
  }
  if (action.backend) {
    args.push('--with', action.backend);
  }
  if (action.reuse && action.verb !== 'spin') {
    args.push('--reuse');
  }
  if (action.datastore) {
    args.push('--datastore', action.datastore);
  }
  if (action.runIdFile && action.verb !== 'spin') {
    args.push('--run-id-file', action.runIdFile);
  }
  if (action.verb !== 'spin') {
    args.push('--json');
  }
  return [...program, ...args];
}

/** What `run --json` / `resume --json` print last on stdout. */
export interface RunOutcome {
  flow: string;
  runId: string;
  status: string;
  originRunId?: string | null;
  error?: string | null;
  datastore: string;
}

/** The run's outcome from the CLI's stdout (its last JSON line), or undefined when it printed none (a refused command). */
export function parseOutcome(stdout: string): RunOutcome | undefined {
  const line = stdout.trim().split('\n').reverse().find(l => l.trimStart().startsWith('{'));
  if (!line) {
    return undefined;
  }
  const parsed = JSON.parse(line) as Partial<RunOutcome>;
  return typeof parsed.runId === 'string' && typeof parsed.status === 'string' ? (parsed as RunOutcome) : undefined;
}

/** `a=1, b=two` (as typed in the quick input) to parameters; a bad pair throws with what to write. */
export function parseParameters(text: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const pair of text.split(',').map(p => p.trim()).filter(p => p.length > 0)) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      throw new Error(`'${pair}' is not name=value.`);
    }
    parameters[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim();
  }
  return parameters;
}
