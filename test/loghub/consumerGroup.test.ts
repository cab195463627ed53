// Consumer-group assignment on an injected clock: even spread, takeover after the timeout, hand-over
// only after the previous holder lets go, order=true parents before children, durable checkpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startTestHub } from '../helpers/hub.js';

const P = 'cg-proj';

async function setup(shardCount: number, order = false) {
  const t = await startTestHub('file');
  await t.client.createProject({ project: P });
  await t.client.createLogStore({ project: P, logstore: 'logs', shardCount });
  await t.client.createConsumerGroup({ project: P, logstore: 'logs', consumerGroup: 'g', timeout: 20, order });
  const hb = (consumer: string, shards: number[]) =>
    t.client.heartbeat({ project: P, logstore: 'logs', consumerGroup: 'g', consumer, shards });
  return { t, hb };
}

test('three consumers split six shards evenly; one stops and its shards move after the timeout', async () => {
  const { t, hb } = await setup(6);
  try {
    const held: Record<string, number[]> = { a: [], b: [], c: [] };
    for (let round = 0; round < 3; round++) for (const c of ['a', 'b', 'c']) held[c] = await hb(c, held[c]);
    const all = [...held.a, ...held.b, ...held.c].sort((x, y) => x - y);
    assert.deepEqual(all, [0, 1, 2, 3, 4, 5], 'every shard held exactly once');
    for (const c of ['a', 'b', 'c']) assert.equal(held[c].length, 2);
    // c stops heartbeating. Within the timeout nothing moves.
    t.clock.advance(15_000);
    held.a = await hb('a', held.a);
    held.b = await hb('b', held.b);
    assert.equal(held.a.length + held.b.length, 4);
    t.clock.advance(10_000); // c last seen 25 s ago > 20 s timeout
    held.a = await hb('a', held.a);
    held.b = await hb('b', held.b);
    held.a = await hb('a', held.a);
    assert.deepEqual(
      [...held.a, ...held.b].sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5],
    );
    assert.equal(held.a.length, 3);
    assert.equal(held.b.length, 3);
  } finally {
    await t.close();
  }
});

test('a joining consumer gets a shard only after its holder stops listing it', async () => {
  const { t, hb } = await setup(2);
  try {
    let a = await hb('a', []);
    assert.deepEqual(a, [0, 1]);
    let b = await hb('b', []);
    assert.deepEqual(b, [], 'a still lists both shards');
    a = await hb('a', a); // server now tells a to drop one
    assert.equal(a.length, 1);
    b = await hb('b', b);
    assert.equal(b.length, 0, 'a has not stopped listing it yet');
    a = await hb('a', a); // a reports only the shard it kept
    b = await hb('b', b);
    assert.equal(b.length, 1);
    assert.notEqual(a[0], b[0]);
  } finally {
    await t.close();
  }
});

test('order=true: children of a split are assigned only once the parent is drained', async () => {
  const { t, hb } = await setup(1, true);
  try {
    await t.client.putLogs({ project: P, logstore: 'logs', logGroup: { logs: [{ time: 1, contents: [] }], logTags: [] } });
    await t.client.splitShard({ project: P, logstore: 'logs', shardId: 0, splitKey: '80000000000000000000000000000000' });
    assert.deepEqual(await hb('a', []), [0], 'only the readonly parent');
    const end = await t.client.getCursor({ project: P, logstore: 'logs', shardId: 0, from: 'end' });
    await t.client.updateCheckpoint({ project: P, logstore: 'logs', consumerGroup: 'g', consumer: 'a', shardId: 0, checkpoint: end });
    assert.deepEqual(await hb('a', [0]), [1, 2], 'parent finished: children now, parent released');
  } finally {
    await t.close();
  }
});

test('checkpoints survive a restart of the LogHub', async () => {
  const { t, hb } = await setup(2);
  const dir = t.dir!;
  await hb('a', []);
  const cur = await t.client.getCursor({ project: P, logstore: 'logs', shardId: 1, from: 'end' });
  await t.client.updateCheckpoint({ project: P, logstore: 'logs', consumerGroup: 'g', consumer: 'a', shardId: 1, checkpoint: cur });
  await t.close(true);
  const again = await startTestHub('file', { dataDir: dir });
  try {
    const cps = await again.client.getCheckpoint({ project: P, logstore: 'logs', consumerGroup: 'g' });
    assert.deepEqual(
      cps.map((c) => [c.shard, c.checkpoint, c.consumer]),
      [
        [0, '', ''],
        [1, cur, 'a'],
      ],
    );
  } finally {
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
