// When shards are checked and invoked (cadence.ts), on a manual clock: FC windows read on the dot
// of their close (receive time + interval + windowGraceMs), idle checks one interval apart on
// second boundaries, catch-up never slower than one window per interval (or as fast as the
// function allows with drainBacklog), and low-latency mode with its batching window and cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addToCursor } from '../../src/codec/index.js';
import { startJob } from '../helpers/job.js';

type Job = Awaited<ReturnType<typeof startJob>>;

async function tickAt(job: Job, ms: number): Promise<void> {
  job.clock.ms = ms;
  await job.scheduler.tick();
  await job.scheduler.whenIdle();
}

test('a window is read at its close plus the grace, not before; it holds exactly one interval of data', async () => {
  const job = await startJob({ shards: 1, config: { jobConfig: { triggerInterval: 10 }, windowGraceMs: 20 } });
  try {
    const t0 = Math.floor(job.clock.now() / 1000);
    job.clock.ms = t0 * 1000 + 300;
    await job.put(['w1']); // received in second t0
    job.clock.ms = (t0 + 4) * 1000;
    await job.put(['w2']); // t0 + 4: same window
    await tickAt(job, (t0 + 5) * 1000);
    assert.equal(job.events.length, 0, 'the window [t0, t0+10) is still open');
    job.clock.ms = (t0 + 10) * 1000 + 5;
    await job.put(['next']); // t0 + 10: the next window
    await tickAt(job, (t0 + 10) * 1000 + 19);
    assert.equal(job.events.length, 0, 'not before close + grace');
    await tickAt(job, (t0 + 10) * 1000 + 20);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['w1', 'w2'],
    );
    await tickAt(job, (t0 + 20) * 1000 + 19);
    assert.equal(job.events.length, 1);
    await tickAt(job, (t0 + 20) * 1000 + 20);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['w1', 'w2', 'next'],
    );
  } finally {
    await job.close();
  }
});

test('an idle shard is checked one interval later on a second boundary, so new data waits only for its window', async () => {
  const job = await startJob({ shards: 1, config: { jobConfig: { triggerInterval: 5 }, windowGraceMs: 20 } });
  try {
    const checks: number[] = [];
    job.scheduler.on('check', () => checks.push(job.clock.now()));
    const t0 = Math.floor(job.clock.now() / 1000);
    for (let ms = t0 * 1000 + 700; ms < (t0 + 12) * 1000; ms += 20) await tickAt(job, ms);
    assert.deepEqual(checks, [t0 * 1000 + 700, (t0 + 5) * 1000 + 20, (t0 + 10) * 1000 + 20]);
  } finally {
    await job.close();
  }
});

/** Invocations in `seconds` of clock, ticking every 100 ms, for a shard with a 60 s backlog (one group a second). */
async function catchUpPace(config: Record<string, unknown>, seconds: number): Promise<number> {
  const job = await startJob({ shards: 1, config });
  try {
    const t0 = Math.floor(job.clock.now() / 1000);
    for (let i = 0; i < 60; i++) {
      job.clock.ms = (t0 + i) * 1000;
      await job.put([`g${i}`]);
    }
    const start = (t0 + 120) * 1000;
    for (let ms = start; ms < start + seconds * 1000; ms += 100) await tickAt(job, ms);
    return job.events.length;
  } finally {
    await job.close();
  }
}

test('catch-up: FC pace (2 s) for intervals of 3 s and more, one window per interval below, everything at once with drainBacklog', async () => {
  assert.equal(await catchUpPace({ jobConfig: { triggerInterval: 1 } }, 10), 10, 'interval 1: a window a second, not one per 2 s');
  assert.equal(await catchUpPace({ jobConfig: { triggerInterval: 3 } }, 10), 5, 'interval 3: FC catch-up, every 2 s');
  assert.equal(await catchUpPace({ jobConfig: { triggerInterval: 1 }, drainBacklog: true }, 1), 10, 'a window per tick');
});

test('low-latency mode: every poll that finds data invokes at once, up to maxBatchGroups (the rest next); a batching window gathers first', async () => {
  const job = await startJob({ shards: 1, config: { pollIntervalMs: 50, maxBatchGroups: 3 } });
  try {
    const begin = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
    const now = job.clock.now();
    for (const id of ['a', 'b', 'c', 'd']) await job.put([id]);
    await tickAt(job, now);
    assert.deepEqual(
      job.events.map((e) => [e.source.beginCursor, e.source.endCursor]),
      [[begin, addToCursor(begin, 3)]],
    );
    await tickAt(job, now + 10);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['a', 'b', 'c', 'd'],
    );
  } finally {
    await job.close();
  }
  const batched = await startJob({ shards: 1, config: { pollIntervalMs: 50, batchingWindowMs: 200 } });
  try {
    const now = batched.clock.now();
    await tickAt(batched, now);
    await batched.put(['x']);
    await tickAt(batched, now + 50);
    await batched.put(['y']);
    await tickAt(batched, now + 249);
    assert.equal(batched.events.length, 0, 'the batching window runs from when data was first seen');
    await tickAt(batched, now + 250);
    assert.deepEqual(
      batched.seen.map((s) => s.id),
      ['x', 'y'],
    );
  } finally {
    await batched.close();
  }
});

test('low-latency idle back-off: each empty check doubles the interval up to idlePollIntervalMs; data snaps it back', async () => {
  const job = await startJob({ shards: 1, config: { pollIntervalMs: 50, idlePollIntervalMs: 400 } });
  try {
    const checks: number[] = [];
    const t0 = job.clock.now();
    job.scheduler.on('check', () => checks.push(job.clock.now() - t0));
    for (let at = 0; at <= 1500; at += 10) await tickAt(job, t0 + at);
    // each empty check doubles the interval: 100, 200, 400, then 400 (the bound) while idle
    assert.deepEqual(checks, [0, 100, 300, 700, 1100, 1500]);
    await job.put(['x']);
    checks.length = 0;
    for (let at = 1510; at <= 2100; at += 10) await tickAt(job, t0 + at);
    // the next check (400 ms after the last) finds x and invokes; then the fast pace again: 50, then 100, …
    assert.deepEqual(checks, [1900, 1950, 2050]);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['x'],
    );
  } finally {
    await job.close();
  }
});

test('ticks reuse a shard list for shardListMaxAgeMs; a due heartbeat lists again at once', async () => {
  const calls: string[] = [];
  const job = await startJob({
    shards: 2,
    config: { pollIntervalMs: 50 },
    schedulerFault: (method) => void (method === 'listShards' || method === 'heartbeat' ? calls.push(method) : undefined),
  });
  try {
    const t0 = job.clock.now();
    await tickAt(job, t0);
    assert.deepEqual(calls, ['listShards', 'heartbeat', 'listShards'], 'setup checks the logstore, then the first tick');
    calls.length = 0;
    for (const ms of [50, 500, 999]) await tickAt(job, t0 + ms);
    assert.deepEqual(calls, [], 'polls within 1000 ms reuse the list');
    await tickAt(job, t0 + 1000);
    assert.deepEqual(calls, ['listShards'], 'a list 1000 ms old is read again');
    // a split between lists: the heartbeat (due at 5 s) hands out the children and lists at once
    await job.t.client.splitShard({ project: job.project, logstore: 'source', shardId: 0, splitKey: '40000000000000000000000000000000' });
    await job.put(['child'], '10000000000000000000000000000000');
    calls.length = 0;
    job.clock.ms = t0 + 1050;
    await job.runUntil(() => job.seen.length >= 1, job.scheduler, 50, 200);
    assert.deepEqual(
      job.seen.map((s) => [s.shardId, s.id]),
      [[2, 'child']],
    );
    // ticks every 50 ms from 1050 to 5000 ms: lists at 2000, 3000 and 4000, then with the heartbeat
    assert.deepEqual(calls, ['listShards', 'listShards', 'listShards', 'heartbeat', 'listShards']);
  } finally {
    await job.close();
  }
});

/** The manual clock's sleep, held until the test releases it (a wake ends it early, as the real one's does). */
function holdSleeps(job: Job) {
  const sleeps: Array<{ ms: number; atMs: number; woken: boolean }> = [];
  let release = () => undefined as void;
  job.clock.sleep = (ms: number, wake?: Promise<void>) =>
    new Promise<void>((resolve) => {
      const entry = { ms, atMs: job.clock.now(), woken: false };
      sleeps.push(entry);
      release = resolve;
      void wake?.then(() => {
        entry.woken = true;
        resolve();
      });
    });
  return { sleeps, release: () => release() };
}

/** Lets the scheduler's I/O and promises run until `done()` (bounded, so a broken scheduler fails instead of hanging). */
async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(done(), 'the scheduler got there');
}

test('run(): low-latency polls go start to start; a check that ends moves the wake to when its shard is due', async () => {
  const job = await startJob({ shards: 3, config: { pollIntervalMs: 50 } });
  const { sleeps, release } = holdSleeps(job);
  const checks: number[] = [];
  let ticks = 0;
  const t0 = job.clock.now();
  job.scheduler.on('check', (e) => {
    checks.push(e.shardId);
    if (checks.length <= 3) job.clock.advance(5); // each first check takes 5 ms of the clock
  });
  job.scheduler.on('poll', () => ticks++);
  const running = job.scheduler.run();
  try {
    await settle(() => checks.length === 3 && sleeps.length === 2);
    assert.equal(ticks, 1);
    assert.equal(sleeps[0].woken, true, 'the first check to end was due before the planned wake (one interval)');
    assert.equal(sleeps[1].atMs + sleeps[1].ms, t0 + 50, 'the loop then sleeps until 50 ms after the checks began, not after they ended');
    job.clock.ms = t0 + 50;
    release();
    await settle(() => checks.length === 6);
    assert.equal(ticks, 2, 'one tick checks all three again');
  } finally {
    await job.scheduler.stop();
    release();
    await running;
    await job.close();
  }
});

test('run(): a shard due at once (more data than one batch) waits for a tick minTickMs after the last began, not one of its own', async () => {
  const job = await startJob({ shards: 1, config: { pollIntervalMs: 50, maxBatchGroups: 1 } });
  await job.put(['a']);
  await job.put(['b']);
  const { sleeps, release } = holdSleeps(job);
  const t0 = job.clock.now();
  const running = job.scheduler.run();
  try {
    await settle(() => job.seen.length === 1 && sleeps.length > 0 && sleeps.at(-1)!.atMs + sleeps.at(-1)!.ms === t0 + 50);
    assert.deepEqual(
      job.seen.map((x) => x.id),
      ['a'],
      'the second group waits for the next tick',
    );
    job.clock.ms = t0 + 50;
    release();
    await settle(() => job.seen.length === 2);
  } finally {
    await job.scheduler.stop();
    release();
    await running;
    await job.close();
  }
});
