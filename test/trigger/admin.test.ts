// Admin operations as library calls with their safety rule inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resetCheckpoints } from '../../src/trigger/ops/checkpoints.js';
import { randomName, startTestHub } from '../helpers/hub.js';

test('resetCheckpoints refuses while a consumer committed within the group timeout, unless forced', async () => {
  const t = await startTestHub('memory');
  try {
    const project = randomName('admin');
    const at = { project, logstore: 'src' };
    await t.client.createProject({ project });
    await t.client.createLogStore({ ...at, shardCount: 2 });
    for (let i = 0; i < 3; i++)
      await t.client.putLogs({ ...at, logGroup: { logs: [{ time: 1, contents: [{ key: 'k', value: String(i) }] }], logTags: [] } });
    await t.client.createConsumerGroup({ ...at, consumerGroup: 'job-1', timeout: 30, order: true });
    const end0 = await t.client.getCursor({ ...at, shardId: 0, from: 'end' });
    await t.client.updateCheckpoint({
      ...at,
      consumerGroup: 'job-1',
      consumer: 'worker-a',
      shardId: 0,
      checkpoint: end0,
      forceSuccess: true,
    });
    const job = { ...at, jobName: 'job-1' };
    const now = t.clock.now;
    await assert.rejects(resetCheckpoints(t.client, job, { to: 'begin', now }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'InvalidArgument');
      assert.match(e.message, /^shard\(s\) 0 \(worker-a\) committed within the last 30s/);
      return true;
    });
    const begin0 = await t.client.getCursor({ ...at, shardId: 0, from: 'begin' });
    const move = { shardId: 0, previous: end0, checkpoint: begin0, groups: -2, heldBy: 'worker-a' };
    // a dry run says the same move, refuses nothing and changes nothing
    assert.deepEqual(await resetCheckpoints(t.client, job, { to: 'begin', shardId: 0, now, dryRun: true }), [move]);
    const before = await t.client.getCheckpoint({ ...at, consumerGroup: 'job-1' });
    assert.equal(before.find((c) => c.shard === 0)?.checkpoint, end0);
    const moved = await resetCheckpoints(t.client, job, { to: 'begin', shardId: 0, force: true, now });
    assert.deepEqual(moved, [move]);
    const stored = await t.client.getCheckpoint({ ...at, consumerGroup: 'job-1' });
    assert.equal(stored.find((c) => c.shard === 0)?.checkpoint, begin0);
    // 31 s later the commit is stale: no force needed.
    const later = () => now() + 31_000;
    const all = await resetCheckpoints(t.client, job, { to: 'end', now: later });
    assert.deepEqual(
      all.map((m) => m.shardId),
      [0, 1],
    );
    await assert.rejects(resetCheckpoints(t.client, { ...job, jobName: 'nope' }, { to: 'end' }), /job nope has no consumer group/);
    await assert.rejects(resetCheckpoints(t.client, job, { to: 'end', shardId: 9, now: later }), /shard 9 does not exist/);
  } finally {
    await t.close();
  }
});
