// A second instance whose shards another consumer holds says so at once: which shards,
// who last committed them, and how soon a holder that stopped hands them over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WaitingEvent } from '../../src/trigger/index.js';
import { waitingLine } from '../../src/cli/print.js';
import { startJob } from '../helpers/job.js';

test('shards held by another consumer are reported once per change, with the holder and the hand-over time', async () => {
  const job = await startJob({ shards: 2 });
  try {
    await job.put(['a']);
    await job.runUntil(() => job.seen.length >= 1, job.scheduler, 61_000);
    await job.scheduler.tick(); // a heartbeat now: its lease runs 15 s from here
    await job.scheduler.whenIdle();
    const second = job.newScheduler('instance-b');
    const waiting: WaitingEvent[] = [];
    second.on('waiting', (w) => waiting.push(w));
    await job.runUntil(() => false, second, 1000, 3);
    assert.deepEqual(waiting, [{ shardIds: [0, 1], holders: { 'instance-a': [0, 1] }, handoverSeconds: 15 }]);
    assert.equal(
      waitingLine(waiting[0]),
      'waiting for shards 0, 1: held (last checkpoint: shard 0, 1 by instance-a); a holder that stopped hands them over within 15 s of its last heartbeat\n',
    );
    // The holder stops (no more heartbeats): after the lease the second instance gets both, and says nothing more.
    await job.runUntil(() => second.snapshot().length === 2, second, 1000, 30);
    assert.equal(second.snapshot().length, 2);
    assert.equal(waiting.length, 1);
  } finally {
    await job.close();
  }
});
