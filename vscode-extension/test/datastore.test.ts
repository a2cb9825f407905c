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

test('a run left running whose owner is gone is shown as crashed', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sharpflow-liveness-'));
  try {
    const heartbeat = path.join(folder, 'heartbeat.json');
    const running = { status: 'Running', createdAt: new Date().toISOString() };
    // This very process, as the runtime records it: alive.
    const started = new Date(Date.now() - process.uptime() * 1000);
    assert.equal(store.liveStatus({ ...running, owner: { host: os.hostname().split('.')[0], processId: process.pid, processStartedAt: started.toISOString() } }, heartbeat), 'Running');
    // The same pid with another start time (a reused pid), and a pid that does not exist: gone.
    assert.equal(store.liveStatus({ ...running, owner: { host: os.hostname().split('.')[0], processId: process.pid, processStartedAt: '2001-01-01T00:00:00Z' } }, heartbeat), 'Crashed');
    assert.equal(store.liveStatus({ ...running, owner: { host: os.hostname().split('.')[0], processId: 2 ** 22 + 7, processStartedAt: started.toISOString() } }, heartbeat), 'Crashed');
    // Another host: judged by its heartbeat.
    const elsewhere = { ...running, owner: { host: 'another-host', processId: 1, processStartedAt: '2001-01-01T00:00:00Z' } };
    fs.writeFileSync(heartbeat, JSON.stringify({ at: new Date(Date.now() - 20_000).toISOString() }));
    assert.equal(store.liveStatus(elsewhere, heartbeat), 'Running');
    fs.writeFileSync(heartbeat, JSON.stringify({ at: new Date(Date.now() - store.heartbeatExpiryMs - 1000).toISOString() }));
    assert.equal(store.liveStatus(elsewhere, heartbeat), 'Crashed');
    // Finished runs and runs without an owner (an orchestrator's) keep their status.
    assert.equal(store.liveStatus({ status: 'Succeeded', createdAt: running.createdAt }, heartbeat), 'Succeeded');
    assert.equal(store.liveStatus(running, heartbeat), 'Running');
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
