// When the data under a checkpoint has expired: a job stopped longer than the source's
// TTL comes back to a checkpoint into deleted data. By default the shard moves to the oldest data still
// stored, writes an `Expired` record naming what was lost, counts it in /metrics and in `status`;
// `onCheckpointExpired: "park"` keeps the old behaviour, with a message saying what expired.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expireAll } from '../../src/loghub/index.js';
import { TriggerMetrics } from '../../src/trigger/engine/metrics.js';
import { jobStatus } from '../../src/trigger/ops/status.js';
import { startJob } from '../helpers/job.js';

const DAY_MS = 86400_000;
const TTL_DAYS = 30; // the test logstores' TTL (the client's default)

type Job = Awaited<ReturnType<typeof startJob>>;

/** 'a' processed, 'b' left behind when the job stops; 31 days later 'c' arrives and 'b' has expired. */
async function stopPastTtl(job: Job) {
  await job.put(['a']);
  await job.runUntil(() => job.seen.length >= 1, job.scheduler, 61_000);
  await job.put(['b']);
  job.clock.advance((TTL_DAYS + 1) * DAY_MS);
  await job.put(['c']);
  await expireAll(job.t.hub.state);
  const begin = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
  return { begin };
}

test('a checkpoint into expired data moves to the oldest stored group with an Expired record; the rest is delivered', async () => {
  const job = await startJob({ shards: 1 });
  const metrics = new TriggerMetrics();
  try {
    const { begin } = await stopPastTtl(job);
    const [cp] = await job.t.client.getCheckpoint({ project: job.project, logstore: 'source', consumerGroup: job.config.jobName });
    const stuck = await jobStatus(job.t.client, { project: job.project, logstore: 'source', jobName: job.config.jobName }, job.clock.now());
    assert.equal(stuck[0].expiredGroups, 1, 'status reads an expired checkpoint instead of failing on it');
    assert.equal(stuck[0].pendingGroups, 1);
    // A restart: a new scheduler on the saved checkpoints.
    const restarted = job.newScheduler('instance-b');
    const detach = metrics.attach(restarted, job.config);
    const shardErrors: string[] = [];
    restarted.on('shardError', (e) => shardErrors.push(e.code));
    await job.runUntil(() => job.seen.length >= 2, restarted, 61_000, 10);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['a', 'c'],
    );
    assert.deepEqual(shardErrors, []);
    assert.equal(restarted.snapshot()[0].parked, undefined);
    const expired = (await job.scheduleLogs()).filter((r) => r.task_status === 'Expired');
    assert.equal(expired.length, 1);
    assert.equal(expired[0].begin_cursor, cp.checkpoint);
    assert.equal(expired[0].end_cursor, begin);
    assert.equal(expired[0].expired_groups, '1');
    assert.match(expired[0].error_message, /^1 log group expired \(source TTL\) before they were processed, received before /);
    assert.match(await metrics.registry.metrics(), /sls_trigger_expired_groups_total\{[^}]*\} 1\n/);
    detach();
    const after = await jobStatus(job.t.client, { project: job.project, logstore: 'source', jobName: job.config.jobName }, job.clock.now());
    assert.equal(after[0].expiredGroups, 0);
  } finally {
    await job.close();
  }
});

test('onCheckpointExpired "park" parks the shard and says what expired and how to move it', async () => {
  const job = await startJob({ shards: 1, config: { onCheckpointExpired: 'park' } });
  try {
    await stopPastTtl(job);
    const restarted = job.newScheduler('instance-b');
    await job.runUntil(() => restarted.snapshot()[0]?.parked !== undefined, restarted, 61_000, 5);
    const parked = restarted.snapshot()[0].parked!;
    assert.equal(parked.code, 'Expired');
    assert.match(parked.message, /^1 log group expired .*; onCheckpointExpired is park: sls-trigger checkpoint reset --to begin/);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['a'],
    );
  } finally {
    await job.close();
  }
});

test('a range retried until its data expired: time to loss at 0 moves the shard on, the function never sees the lost range again', async () => {
  let healthy = false;
  const job = await startJob({ shards: 1, fail: () => !healthy });
  try {
    await job.put(['x']);
    await job.runUntil(() => job.events.length >= 3, job.scheduler, 61_000, 20);
    const retried = job.events[0].taskId;
    job.clock.advance((TTL_DAYS + 1) * DAY_MS);
    await job.put(['y']);
    await expireAll(job.t.hub.state);
    healthy = true;
    const before = job.events.length;
    await job.runUntil(() => job.seen.length >= 1, job.scheduler, 61_000, 10);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['y'],
    );
    assert.ok(
      job.events.slice(before).every((e) => e.taskId !== retried),
      'no invocation on the expired range',
    );
    const expired = (await job.scheduleLogs()).filter((r) => r.task_status === 'Expired');
    assert.equal(expired.length, 1);
    assert.equal(expired[0].expired_groups, '1');
  } finally {
    await job.close();
  }
});
