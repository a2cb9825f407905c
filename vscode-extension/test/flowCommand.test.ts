import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dotnetArguments, hostOf, kebab, parseOutcome, parseParameters } from '../src/flowCommand';

const tree: Record<string, string[]> = {
  '/repo/examples/TrainFlow': ['TrainFlow.cs', 'TrainFlow.csproj', 'Trainer.cs'],
  '/repo/examples/TrainFlow/sub': ['Extra.cs'],
  '/repo/examples': ['TrainFlow'],
  '/repo': ['Interactive.sln'],
  '/': ['repo'],
};
const list = (folder: string) => tree[folder] ?? [];

test('a flow file runs through its project; a file with #: directives or no project runs as a file-based app', () => {
  assert.deepEqual(hostOf('/repo/examples/TrainFlow/TrainFlow.cs', 'public class TrainFlow : FlowSpec {}', list), { kind: 'project', path: '/repo/examples/TrainFlow/TrainFlow.csproj' });
  assert.deepEqual(hostOf('/repo/examples/TrainFlow/sub/Extra.cs', '', list), { kind: 'project', path: '/repo/examples/TrainFlow/TrainFlow.csproj' });
  assert.deepEqual(hostOf('/repo/examples/TrainFlow/Trainer.cs', '#:package X@1\nclass A {}', list), { kind: 'file', path: '/repo/examples/TrainFlow/Trainer.cs' });
  assert.deepEqual(hostOf('/repo/loose.cs', 'class A {}', list), { kind: 'file', path: '/repo/loose.cs' });
});

test('each action becomes the CLI command line with --json, the datastore and the run-id file', () => {
  const project = { kind: 'project' as const, path: '/p/Train.csproj' };
  assert.deepEqual(dotnetArguments(project, { verb: 'run', parameters: { LearningRate: '0.1', epochs: '3' }, datastore: '/d', runIdFile: '/t/id' }),
    ['run', '--project', '/p/Train.csproj', '--', 'run', '--learning-rate', '0.1', '--epochs', '3', '--datastore', '/d', '--run-id-file', '/t/id', '--json']);
  assert.deepEqual(dotnetArguments({ kind: 'file', path: '/p/flow.cs' }, { verb: 'resume', step: 'Fit' }), ['run', '/p/flow.cs', '--', 'resume', 'Fit', '--json']);
  assert.deepEqual(dotnetArguments(project, { verb: 'spin', step: 'Fit', runIdFile: '/t/id' }), ['run', '--project', '/p/Train.csproj', '--', 'spin', 'Fit', '--no-persist']);
  assert.deepEqual(dotnetArguments(project, { verb: 'run', backend: 'slurm' }), ['run', '--project', '/p/Train.csproj', '--', 'run', '--with', 'slurm', '--json']);
  assert.deepEqual(dotnetArguments(project, { verb: 'run', reuse: true }), ['run', '--project', '/p/Train.csproj', '--', 'run', '--reuse', '--json']);
  assert.throws(() => dotnetArguments(project, { verb: 'spin' }), /Spin needs a step/);
});

test('parameter names are the CLI kebab-case; typed parameters parse or say what to write', () => {
  assert.equal(kebab('LearningRate'), 'learning-rate');
  assert.equal(kebab('max_depth'), 'max-depth');
  assert.equal(kebab('HTTPPort'), 'http-port');
  assert.deepEqual(parseParameters('a=1, b = two ,c=x=y'), { a: '1', b: 'two', c: 'x=y' });
  assert.throws(() => parseParameters('a=1, oops'), /'oops' is not name=value/);
});

test("the run's outcome is the last JSON line on stdout", () => {
  const stdout = 'something printed\n{"flow":"HelloFlow","runId":"17","status":"Succeeded","originRunId":null,"error":null,"datastore":"/d"}\n';
  assert.deepEqual(parseOutcome(stdout), { flow: 'HelloFlow', runId: '17', status: 'Succeeded', originRunId: null, error: null, datastore: '/d' });
  assert.equal(parseOutcome('Flow X has no parameter y\n'), undefined);
});
