// Reads a real datastore: the xunit wrapper (VsCodeExtensionTests) runs HelloFlow into SHARPFLOW_TEST_DATASTORE first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as store from '../src/datastore';

const root = process.env.SHARPFLOW_TEST_DATASTORE;

test('flows, runs, steps, tasks and artifacts of a real run', () => {
  assert.ok(root, 'set SHARPFLOW_TEST_DATASTORE to a datastore holding a HelloFlow run');
  assert.deepEqual(store.flows(root), ['HelloFlow']);
  const [run] = store.runs(root, 'HelloFlow');
  assert.equal(run.status, 'Succeeded');
  assert.ok(run.tags.includes('runtime:local'));
  assert.match(store.duration(run), /^\d+\.\d s$/);
  assert.deepEqual(store.steps(root, 'HelloFlow', run.id), ['Start', 'Greet', 'Join', 'End']);
  const greet = store.tasks(root, 'HelloFlow', run.id, 'Greet');
  assert.equal(greet.length, 3);
  assert.deepEqual(greet.map(t => t.foreach), ['0', '1', '2']);
  assert.deepEqual(store.artifacts(root, greet[0]).map(a => `${a.name}:${a.type}`), ['Greetings:List<String>', 'Message:String', 'Name:String']);
  assert.deepEqual(store.runs(root, 'HelloFlow', 'no-such-tag'), []);
});

test('stored type names read as C# would write them', () => {
  assert.equal(store.shortType('System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.Double, System.Private.CoreLib]], System.Private.CoreLib'), 'Dictionary<String, Double>');
  assert.equal(store.shortType('TrainFlow.Candidate, TrainFlow'), 'Candidate');
});
