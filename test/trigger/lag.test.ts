// Lag tells the truth while a shard fails: now minus the receive time of the oldest
// unprocessed group, whatever the outcome of the last check, read through one definition (lagOf)
// by the dev line, /metrics and the console (all from Scheduler.snapshot): a shard whose function always
// throws shows its lag growing by each interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TriggerMetrics } from '../../src/trigger/engine/metrics.js';
import { startJob } from '../helpers/job.js';

const lagSample = (text: string, shard: number) => {
  const m = new RegExp(`sls_trigger_shard_lag_seconds\\{[^}]*shard="${shard}"[^}]*\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : undefined;
};

test('a shard whose function always throws shows a lag that grows by the interval, in the snapshot and /metrics', async () => {
  const interval = 60;
  const job = await startJob({ shards: 1, config: { jobConfig: { triggerInterval: interval, maxRetryTime: 3 } }, fail: () => true });
  const metrics = new TriggerMetrics();
  const detach = metrics.attach(job.scheduler, job.config);
  try {
    await job.put(['a', 'b']);
    const putAt = Math.floor(job.clock.now() / 1000);
    for (let n = 1; n <= 5; n++) {
      await job.runUntil(() => false, job.scheduler, interval * 1000, 1);
      const expected = Math.floor(job.clock.now() / 1000) - putAt;
      assert.ok(expected >= n * interval, `clock moved ${expected} s after ${n} intervals`);
      const [shard] = job.scheduler.snapshot();
      assert.equal(shard.lagSeconds, expected, `snapshot after ${n} intervals`);
      assert.equal(lagSample(await metrics.registry.metrics(), 0), expected, `/metrics after ${n} intervals`);
    }
    assert.ok(job.attempts.size > 0 && [...job.attempts.values()].every((a) => a >= 2), 'the function was tried and kept failing');
    // Time to loss follows the same rule: the logstore's TTL (the helper's default, 30 days) minus the lag.
    const [last] = job.scheduler.snapshot();
    assert.equal(last.timeToLossSeconds, 30 * 86400 - last.lagSeconds!);
  } finally {
    detach();
    await job.close();
  }
});
