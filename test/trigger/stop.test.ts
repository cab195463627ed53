// Stopping a job: without a bound it waits for every in-flight task (its checkpoint committed); with
// a drain timeout it returns the shards whose tasks still run, uncommitted, so the next holder
// delivers those ranges again; readiness says "stopping" meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readinessOf } from '../../src/trigger/index.js';
import { startJob } from '../helpers/job.js';

test('a drain timeout abandons the task still running (shard named, checkpoint not moved); no timeout waits', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let reading!: () => void;
  const read = new Promise<void>((r) => (reading = r));
  const job = await startJob({
    shards: 1,
    afterRead: async (e) => {
      if (e.source.shardId !== 0) return;
      reading();
      await held; // the function is still at work when the stop comes
    },
  });
  try {
    await job.put(['a']);
    job.clock.advance(61_000);
    await job.scheduler.tick();
    await read;
    const before = await job.client.getCheckpoint({ project: job.project, logstore: 'source', consumerGroup: job.config.jobName });
    const { abandoned } = await job.scheduler.stop({ drainTimeoutMs: 1000 });
    assert.deepEqual(abandoned, [0]);
    assert.equal(readinessOf(job.scheduler.health()).reason, 'stopping: finishing in-flight tasks');
    const after = await job.client.getCheckpoint({ project: job.project, logstore: 'source', consumerGroup: job.config.jobName });
    assert.deepEqual(after, before, 'the abandoned range is not committed');
    // without a bound the stop waits for the task, which then commits
    release();
    assert.deepEqual(await job.scheduler.stop(), { abandoned: [] });
    const committed = await job.client.getCheckpoint({ project: job.project, logstore: 'source', consumerGroup: job.config.jobName });
    assert.notDeepEqual(committed, before);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['a'],
    );
  } finally {
    release();
    await job.close();
  }
});
