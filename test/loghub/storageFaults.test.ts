// Storage faults never lose an acknowledged write. Every write, writev, fsync, rename,
// truncate and file creation the store makes over a workload of puts, split, merge and checkpoints
// is failed in turn (ENOSPC, EIO; once, and for a stretch of operations); after each: the client got
// a retriable SLS error, writes resumed once the fault cleared, and after a restart every
// acknowledged write is there exactly once and nothing else is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAULT_OPS, FaultyIo } from './faultyIo.js';
import { SlsServiceError } from '../../src/errors/index.js';
import { assertDurable, CG, LS, openHub, P, runWorkload } from './storageWorkload.js';

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-faults-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Operations the workload makes on a healthy disk, by kind. */
async function countOps(): Promise<FaultyIo> {
  return withDir(async (dir) => {
    const io = new FaultyIo();
    const h = await openHub(dir, { io });
    await runWorkload(h.client, 1);
    await h.close();
    return io;
  });
}

async function sweep(failCount: number) {
  const total = (await countOps()).count;
  let faults = 0;
  const failedOps = new Set<string>();
  for (let n = 1; n <= total; n++) {
    const io = new FaultyIo();
    io.errno = n % 2 ? 'ENOSPC' : 'EIO';
    io.failFrom = n;
    io.failCount = failCount;
    const context = `${io.errno} at operation ${n} of ${total} (${failCount} failing)`;
    await withDir(async (dir) => {
      const warnings: string[] = [];
      const h = await openHub(dir, { io, onWarning: (m) => warnings.push(m) });
      const r = await runWorkload(h.client, failCount + 3);
      await h.close();
      if (io.failures.length > 0) faults++;
      for (const f of io.failures) failedOps.add(f.op);
      for (const e of r.errors) {
        assert.equal(e.retriable, true, `${context}: ${e.code} ${e.message}`);
        assert.equal(e.code, io.errno === 'ENOSPC' ? 'ServerBusy' : 'InternalServerError', `${context}: ${e.message}`);
      }
      // One line when the episode starts, one when writes succeed again: never one per request.
      assert.ok(warnings.filter((w) => w.includes('writes are refused')).length <= 1, `${context}: ${warnings.join('\n')}`);
      await assertDurable(dir, r, context);
    });
  }
  return { total, faults, failedOps };
}

test('a fault at any single file operation loses nothing acknowledged, and writes resume', async () => {
  const { total, faults, failedOps } = await sweep(1);
  assert.equal(faults, total, 'every operation was failed once');
  // Truncates happen only while undoing a failed write: the next sweep fails those.
  assert.deepEqual([...failedOps].sort(), FAULT_OPS.filter((op) => op !== 'truncate').sort());
});

test('a disk that stays failed for several operations (the undo fails too) loses nothing either', async () => {
  const { failedOps } = await sweep(4);
  assert.deepEqual([...failedOps].sort(), [...FAULT_OPS].sort(), 'every kind of operation was failed');
});

test('no answer rests on metadata a restart would forget: a failed save is made good first', async () => {
  await withDir(async (dir) => {
    const io = new FaultyIo();
    const a = await openHub(dir, { io });
    await a.client.createProject({ project: P });
    await a.client.createLogStore({ project: P, logstore: LS, shardCount: 1 });
    io.failFrom = io.count + 1; // the disk fills: the consumer group's metadata save fails
    io.failCount = 100;
    const create = () => a.client.createConsumerGroup({ project: P, logstore: LS, consumerGroup: CG, timeout: 60, order: false });
    await assert.rejects(create(), (e: SlsServiceError) => e.code === 'ServerBusy' && e.retriable);
    io.failFrom = 0; // space is back; the client sends its request again
    await assert.rejects(create(), (e: SlsServiceError) => e.code === 'ConsumerGroupAlreadyExist');
    await a.close();
    const b = await openHub(dir);
    try {
      const groups = await b.client.listConsumerGroup({ project: P, logstore: LS });
      assert.deepEqual(
        groups.map((g) => g.name),
        [CG],
        'the group the second answer said exists is there after a restart',
      );
    } finally {
      await b.close();
    }
  });
});
