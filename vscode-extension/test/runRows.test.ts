import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunRow, childrenRequest, viewOf } from '../src/runRows';

const task: RunRow = { kind: 'task', label: 'task 2', description: 'failed · attempt 1', tooltip: 'F/1/Fit/2', status: 'Failed', flow: 'F', run: '1', step: 'Fit', task: '2', hasCard: true };

test('a row asks for its own children with the view filters; the root asks for the flows', () => {
  assert.deepEqual(childrenRequest(undefined, { namespace: 'user:alice', tag: '' }), { namespace: 'user:alice', tag: undefined });
  assert.deepEqual(childrenRequest(task, {}), { namespace: undefined, tag: undefined, flow: 'F', run: '1', step: 'Fit', task: '2' });
  assert.deepEqual(childrenRequest({ kind: 'run', label: '1', flow: 'F', run: '1' }, { tag: 'best' }), { namespace: undefined, tag: 'best', flow: 'F', run: '1', step: undefined, task: undefined });
});

test('statuses pick icons; a task with a card opens it, an artifact opens its value and does not expand', () => {
  assert.deepEqual(viewOf(task), { label: 'task 2', description: 'failed · attempt 1', tooltip: 'F/1/Fit/2', icon: 'error', expandable: true, contextValue: 'task', command: 'sharpflow.openCard' });
  assert.equal(viewOf({ ...task, hasCard: false }).command, undefined);
  assert.equal(viewOf({ kind: 'run', label: '1', flow: 'F', run: '1', status: 'Crashed' }).icon, 'warning');
  const artifact = viewOf({ kind: 'artifact', label: 'Model', description: 'Byte[] · 10 bytes', flow: 'F', run: '1', step: 'Fit', task: '2', artifact: 'Model' });
  assert.equal(artifact.expandable, false);
  assert.equal(artifact.command, 'sharpflow.openValue');
  assert.equal(viewOf({ kind: 'flow', label: 'F', flow: 'F' }).icon, 'type-hierarchy');
});
