// The scheduler against the embedded LogHub on a manual clock (no sleeps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlsServiceError, SlsTransportError } from '../../src/errors/index.js';
import { resetCheckpoints } from '../../src/trigger/ops/checkpoints.js';
import { jobStatus } from '../../src/trigger/ops/status.js';
import { readDeadLetters } from '../../src/trigger/deadLetters/deadLetterStore.js';
import { idsIn, startJob } from '../helpers/job.js';

const keyFor = (shard: number, shards: number) => ((BigInt(shard) * (1n << 128n)) / BigInt(shards)).toString(16).padStart(32, '0');

test('4 shards, 2000 unique logs: each processed exactly once, order kept within each shard', async () => {
  const job = await startJob({ shards: 4 });
  try {
    const expected: string[][] = [[], [], [], []];
    for (let batch = 0; batch < 40; batch++) {
      const shard = batch % 4;
      const ids = Array.from({ length: 50 }, (_, i) => `s${shard}-${String(batch * 50 + i).padStart(5, '0')}`);
      expected[shard].push(...ids);
      await job.put(ids, keyFor(shard, 4));
      if (batch % 10 === 9) job.clock.advance(1000);
    }
    await job.runUntil(() => job.seen.length >= 2000);
    assert.equal(job.seen.length, 2000);
    assert.equal(new Set(job.seen.map((s) => s.id)).size, 2000, 'no duplicates');
    for (let shard = 0; shard < 4; shard++) {
      assert.deepEqual(
        job.seen.filter((s) => s.shardId === shard).map((s) => s.id),
        expected[shard],
        `shard ${shard} in order`,
      );
    }
    const logs = await job.scheduleLogs();
    assert.ok(
      logs.length > 0 &&
        logs.every((r) => r.task_status === 'Success' && r.job_name === job.config.jobName && r.project_name === job.project),
    );
    assert.equal(
      logs.reduce((n, r) => n + Number(r.ingest_lines), 0),
      2000,
    );
  } finally {
    await job.close();
  }
});

test('no new data: every shard is checked each interval and nothing is invoked; the first log after is', async () => {
  const job = await startJob({ shards: 2 });
  try {
    const checks: Array<[number, boolean]> = [];
    job.scheduler.on('check', (c) => checks.push([c.shardId, c.found]));
    for (let i = 0; i < 5; i++) {
      await job.scheduler.tick();
      await job.scheduler.whenIdle();
      job.clock.advance(61_000);
    }
    assert.equal(job.events.length, 0);
    for (const shardId of [0, 1]) {
      const mine = checks.filter(([id]) => id === shardId);
      assert.ok(mine.length >= 5, `shard ${shardId} checked ${mine.length} times in 5 intervals`);
      assert.ok(mine.every(([, found]) => !found));
    }
    // the same checks do find data once there is some
    await job.put(['first']);
    await job.runUntil(() => job.seen.length >= 1, job.scheduler, 61_000, 2);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['first'],
    );
    assert.ok(checks.some(([, found]) => found));
  } finally {
    await job.close();
  }
});

test('a backlog is worked off in one-interval windows by receive time, with catch-up ticks', async () => {
  const job = await startJob({ shards: 1 });
  try {
    for (let k = 0; k < 4; k++) {
      await job.put([`a${k}`, `b${k}`]);
      job.clock.advance(100_000); // 100 s apart: each put is its own 60 s window
    }
    await job.runUntil(() => job.seen.length >= 8);
    assert.equal(job.events.length, 4, 'one event per window');
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3'],
    );
    for (let i = 1; i < job.events.length; i++)
      assert.equal(job.events[i].source.beginCursor, job.events[i - 1].source.endCursor, 'contiguous ranges');
  } finally {
    await job.close();
  }
});

test('failures: the same range is retried with backoff; block (default) never skips it', async () => {
  let healthy = false;
  const job = await startJob({ shards: 1, fail: () => !healthy });
  try {
    await job.put(['x1', 'x2']);
    const retries: Array<{ attempt: number; delayMs: number; exhausted: boolean }> = [];
    job.scheduler.on('retry', (r) => retries.push(r));
    await job.runUntil(() => retries.length >= 6, job.scheduler, 30_000);
    assert.equal(new Set(job.events.map((e) => e.taskId)).size, 1, 'always the same task');
    // maxRetryTime 2: two quick retries with exponential backoff (jitter fixed at 0.5), then block
    assert.deepEqual(
      retries.slice(0, 2).map((r) => [r.delayMs, r.exhausted]),
      [
        [500, false],
        [1000, false],
      ],
    );
    assert.ok(
      retries.slice(2).every((r) => r.exhausted && r.delayMs >= 60_000),
      'after maxRetryTime: once per interval at most',
    );
    assert.equal(job.seen.length, 0);
    healthy = true;
    await job.runUntil(() => job.seen.length >= 2, job.scheduler, 61_000);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['x1', 'x2'],
    );
    const statuses = (await job.scheduleLogs()).map((r) => r.task_status);
    assert.equal(statuses.at(-1), 'Success');
    assert.ok(statuses.filter((s) => s === 'Failed').length >= 6);
  } finally {
    await job.close();
  }
});

test('skip and dead-letter move on after maxRetryTime; dead letters hold the event and the error', async () => {
  for (const policy of ['skip', 'deadLetter'] as const) {
    const job = await startJob({
      shards: 1,
      fail: (e) => e.source.beginCursor === first,
      config: { onRetriesExhausted: policy, deadLetter: { logstore: 'dead-letter' } },
    });
    let first = '';
    try {
      first = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
      await job.put(['bad']);
      job.clock.advance(100_000);
      await job.put(['good']);
      await job.runUntil(() => job.seen.length >= 1, job.scheduler, 10_000);
      assert.deepEqual(
        job.seen.map((s) => s.id),
        ['good'],
        policy,
      );
      assert.equal(job.attempts.get(job.events[0].taskId), 3, 'first try + maxRetryTime (2) retries');
      const statuses = (await job.scheduleLogs()).map((r) => r.task_status);
      assert.deepEqual(statuses, ['Failed', 'Failed', policy === 'skip' ? 'Skipped' : 'DeadLettered', 'Success']);
      if (policy === 'deadLetter') {
        const { letters } = await readDeadLetters(job.t.client, { kind: 'logstore', project: job.project, logstore: 'dead-letter' });
        assert.equal(letters.length, 1);
        assert.equal(letters[0].event.source.beginCursor, first);
        assert.equal(letters[0].attempts, 3);
        assert.match(letters[0].errorMessage, /planned failure 3/);
        assert.deepEqual(idsIn(letters[0].logGroupList), ['bad'], 'the letter keeps the data');
      }
    } finally {
      await job.close();
    }
  }
});

test('split and merge mid-run: nothing lost, parents drained before children', async () => {
  const job = await startJob({ shards: 2 });
  try {
    const invokes: number[] = [];
    job.scheduler.on('invoke', (e) => invokes.push(e.shardId));
    await job.put(['p0-1', 'p0-2'], keyFor(0, 2));
    await job.put(['p1-1'], keyFor(1, 2));
    await job.scheduler.tick(); // consumer group set up, first tasks started
    await job.scheduler.whenIdle();
    await job.put(['p0-3'], keyFor(0, 2)); // lands in the parent before the split
    await job.t.client.splitShard({ project: job.project, logstore: 'source', shardId: 0, splitKey: '40000000000000000000000000000000' });
    await job.put(['c2-1'], '10000000000000000000000000000000');
    await job.put(['c3-1'], '50000000000000000000000000000000');
    await job.t.client.mergeShards({ project: job.project, logstore: 'source', shardId: 3 }); // 3 + 1 -> 4
    await job.put(['m4-1'], 'f0000000000000000000000000000000');
    await job.runUntil(() => job.seen.length >= 7);
    assert.deepEqual(job.seen.map((s) => s.id).sort(), ['c2-1', 'c3-1', 'm4-1', 'p0-1', 'p0-2', 'p0-3', 'p1-1']);
    const lastOf = (id: number) => invokes.lastIndexOf(id);
    const firstOf = (id: number) => invokes.indexOf(id);
    assert.ok(lastOf(0) < firstOf(2) && lastOf(0) < firstOf(3), 'split parent before its children');
    assert.ok(lastOf(3) < firstOf(4) && lastOf(1) < firstOf(4), 'merge parents before the merged shard');
  } finally {
    await job.close();
  }
});

test('a child split again before it ever had data still lets its own children run', async () => {
  const job = await startJob({ shards: 1 });
  try {
    await job.scheduler.tick(); // the job exists: shard 0's start position is its first checkpoint
    await job.scheduler.whenIdle();
    await job.t.client.splitShard({ project: job.project, logstore: 'source', shardId: 0, splitKey: '80000000000000000000000000000000' }); // -> 1, 2
    await job.t.client.splitShard({ project: job.project, logstore: 'source', shardId: 1, splitKey: '40000000000000000000000000000000' }); // 1 (never had data) -> 3, 4
    await job.put(['grandchild'], '10000000000000000000000000000000');
    await job.runUntil(() => job.seen.length >= 1, job.scheduler, 6000, 60);
    assert.deepEqual(
      job.seen.map((x) => [x.shardId, x.id]),
      [[3, 'grandchild']],
    );
  } finally {
    await job.close();
  }
});

test('two instances share a job; one dies, the other takes its shards from the last checkpoint', async () => {
  const job = await startJob({ shards: 4 });
  try {
    const a = job.scheduler;
    const b = job.newScheduler('instance-b');
    const held = (s: typeof a) => s.snapshot().map((x) => x.shardId);
    // a first holds everything; the server asks it to give two up, and hands them to b only once
    // a's heartbeat no longer lists them (a few heartbeat rounds)
    for (let round = 0; round < 6 && !(held(a).length === 2 && held(b).length === 2); round++) {
      await a.tick();
      await b.tick();
      job.clock.advance(5000);
    }
    assert.deepEqual([held(a).length, held(b).length], [2, 2], 'shards spread over both instances');
    assert.deepEqual([...held(a), ...held(b)].sort(), [0, 1, 2, 3]);
    for (let s = 0; s < 4; s++) await job.put([`before-${s}`], keyFor(s, 4));
    job.clock.advance(61_000); // the next interval
    await a.tick();
    await b.tick();
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    assert.equal(job.seen.length, 4);
    // a dies without a word; data keeps coming
    for (let s = 0; s < 4; s++) await job.put([`after-${s}`], keyFor(s, 4));
    await job.runUntil(() => job.seen.length >= 8, b, 5000);
    assert.deepEqual(job.seen.map((x) => x.id).sort(), [
      'after-0',
      'after-1',
      'after-2',
      'after-3',
      'before-0',
      'before-1',
      'before-2',
      'before-3',
    ]);
    assert.equal(held(b).length, 4, 'b holds every shard after a timed out');
  } finally {
    await job.close();
  }
});

test('an instance dies in the middle of a task: the other redoes only that range', async () => {
  let hangOnce = true;
  let readBeforeHang: () => void = () => undefined;
  const hung = new Promise<void>((r) => (readBeforeHang = r)); // the task read its range and now hangs
  const job = await startJob({
    shards: 1,
    // the first invocation reads its range and then never returns: its instance "dies" there
    afterRead: () => (hangOnce ? ((hangOnce = false), readBeforeHang(), new Promise<void>(() => undefined)) : Promise.resolve()),
  });
  try {
    const a = job.scheduler;
    const b = job.newScheduler('instance-b');
    await job.put(['one', 'two']);
    job.clock.advance(61_000); // their window (by receive time) has closed
    await a.tick(); // a takes the shard and starts the task, which hangs after reading
    await hung;
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['one', 'two'],
    );
    job.clock.advance(100_000);
    await job.put(['three']);
    await job.runUntil(() => job.seen.filter((s) => s.id === 'three').length > 0, b, 5000);
    const ids = job.seen.map((s) => s.id);
    assert.deepEqual(
      ids.filter((id) => id === 'three'),
      ['three'],
      'new data once',
    );
    const dupTasks = new Set(job.seen.filter((s) => ids.filter((x) => x === s.id).length > 1).map((s) => s.taskId));
    assert.equal(dupTasks.size, 1, 'duplicates only from the one range that was in flight');
    assert.deepEqual(ids.sort(), ['one', 'one', 'three', 'two', 'two']);
  } finally {
    await job.close();
  }
});

test('SLS unreachable: failed ticks back off exponentially up to one interval, no busy loop', async () => {
  const { parseJobConfig } = await import('../../src/trigger/job/config.js');
  const { Scheduler } = await import('../../src/trigger/engine/scheduler.js');
  const { InProcessInvoker } = await import('../../src/trigger/invokers/inProcess.js');
  const { LogClient } = await import('../../src/client/index.js');
  const net = await import('node:net');
  const dead = net.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const port = (dead.address() as { port: number }).port;
  await new Promise<void>((r) => dead.close(() => r())); // nothing listens there now
  const client = new LogClient({
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'a', accessKeySecret: 'b' },
    retry: { retries: 0 },
  });
  const sleeps: number[] = [];
  const warnings: string[] = [];
  let s: InstanceType<typeof Scheduler>;
  const clock = {
    now: () => Date.UTC(2026, 0, 1),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      if (sleeps.length === 7) void s.stop();
    },
  };
  const config = parseJobConfig({
    endpoint: `http://127.0.0.1:${port}`,
    project: 'p',
    sourceConfig: { logstore: 'src' },
    jobConfig: { triggerInterval: 30 },
    logConfig: { project: 'p', logstore: 'log' },
    target: { type: 'local', module: 'x.js' },
  });
  s = new Scheduler({
    config,
    client,
    invoker: new InProcessInvoker(() => ({})),
    clock,
    functionCredentials: { accessKeyId: 'a', accessKeySecret: 'b' },
    retryBaseMs: 1000,
    scheduleSink: null,
  });
  s.on('warning', (w) => warnings.push(w.message));
  await s.run();
  client.close();
  assert.deepEqual(sleeps, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.match(warnings[0], /tick failed \(1 in a row\)/);
});

test('a TypeError in a listener parks that shard and is surfaced; no retry loop, other shards go on', async () => {
  const job = await startJob({ shards: 2 });
  try {
    const errors: Array<{ shardId: number; code: string; message: string }> = [];
    const retries: unknown[] = [];
    job.scheduler.on('shardError', (e) => errors.push({ shardId: e.shardId, code: e.code, message: e.message }));
    job.scheduler.on('retry', (r) => retries.push(r));
    job.scheduler.on('checkpoint', (c) => {
      if (c.shardId === 0) throw new TypeError('listener bug');
    });
    await job.put(['a0'], keyFor(0, 2));
    await job.put(['b0'], keyFor(1, 2));
    await job.runUntil(() => errors.length > 0 && job.seen.length >= 2);
    assert.deepEqual(errors, [{ shardId: 0, code: 'TypeError', message: 'listener bug' }]);
    const invoked = job.events.length;
    await job.put(['a1'], keyFor(0, 2));
    await job.put(['b1'], keyFor(1, 2));
    job.clock.advance(61_000);
    await job.runUntil(() => job.seen.some((s) => s.id === 'b1'));
    for (let i = 0; i < 5; i++) await job.runUntil(() => false, job.scheduler, 61_000, 1);
    assert.deepEqual(job.seen.map((s) => s.id).sort(), ['a0', 'b0', 'b1'], 'shard 0 parked after its first range, shard 1 went on');
    assert.equal(job.events.length, invoked + 1, 'the parked shard was not invoked again');
    assert.deepEqual(retries, [], 'a bug is not retried');
    assert.deepEqual(job.scheduler.snapshot().find((s) => s.shardId === 0)?.parked, { code: 'TypeError', message: 'listener bug' });
    // `status` shows it: the shard's last schedule-log record says Parked, with the error.
    const rows = await jobStatus(job.t.client, {
      project: job.project,
      logstore: 'source',
      jobName: job.config.jobName,
      logConfig: job.config.logConfig,
    });
    assert.deepEqual(
      rows.map((r) => [r.shardId, r.lastTask?.status, r.lastTask?.errorCode, r.lastTask?.errorMessage]),
      [
        [0, 'Parked', 'TypeError', 'listener bug'],
        [1, 'Success', undefined, undefined],
      ],
    );
  } finally {
    await job.close();
  }
});

test('a failing dead-letter write is retried alone: the function is not invoked again for its range', async () => {
  let deadLetterFailures = 3;
  const job = await startJob({
    shards: 1,
    fail: () => true,
    config: { onRetriesExhausted: 'deadLetter', deadLetter: { logstore: 'dead-letter' } },
    schedulerFault: (method, p) =>
      method === 'putLogs' && p.logstore === 'dead-letter' && deadLetterFailures-- > 0
        ? SlsServiceError.of('ServerBusy', 'dead-letter store busy')
        : undefined,
  });
  try {
    const retries: Array<{ write?: string; counted: boolean; delayMs: number }> = [];
    job.scheduler.on('retry', (r) => retries.push({ write: r.write, counted: r.counted, delayMs: r.delayMs }));
    await job.put(['poison']);
    await job.runUntil(() => job.scheduler.snapshot()[0]?.checkpoint !== undefined && deadLetterFailures < 0);
    await job.runUntil(() => false, job.scheduler, 2000, 5);
    assert.equal(job.events.length, 3, 'first try + maxRetryTime (2) retries, then never again');
    assert.deepEqual(
      retries.filter((r) => r.write === 'dead letter').map((r) => [r.counted, r.delayMs]),
      [
        [false, 500],
        [false, 1000],
        [false, 2000],
      ],
    );
    const { letters } = await readDeadLetters(job.t.client, { kind: 'logstore', project: job.project, logstore: 'dead-letter' });
    assert.equal(letters.length, 1, 'one dead letter');
    assert.deepEqual(idsIn(letters[0].logGroupList), ['poison']);
    const end = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'end' });
    assert.equal(job.scheduler.snapshot()[0].checkpoint, end, 'checkpoint past the dead-lettered range');
  } finally {
    await job.close();
  }
});

test('an SLS outage backs off with jitter and recovers; every log is delivered once', async () => {
  let down = false;
  // The shard's cursor calls fail (the tick's heartbeat and ListShards too would be run()'s backoff).
  const job = await startJob({
    shards: 1,
    schedulerFault: (m) =>
      down && m.startsWith('getCursor') ? new SlsTransportError('ConnectionError', 'connect ECONNREFUSED') : undefined,
  });
  try {
    const retries: Array<{ delayMs: number; counted: boolean; reason: string }> = [];
    job.scheduler.on('retry', (r) => retries.push({ delayMs: r.delayMs, counted: r.counted, reason: r.reason }));
    await job.put(['x1']);
    await job.runUntil(() => job.seen.length >= 1);
    down = true;
    await job.put(['x2', 'x3']);
    job.clock.advance(61_000);
    for (let i = 0; i < 6; i++) {
      await job.scheduler.tick();
      await job.scheduler.whenIdle();
      job.clock.advance(retries.at(-1)?.delayMs ?? 1000);
    }
    // full jitter fixed at 0.5: half of min(8 s, 1 s * 2^(n-1))
    assert.deepEqual(
      retries.map((r) => r.delayMs),
      [500, 1000, 2000, 4000, 4000, 4000],
    );
    down = false;
    await job.runUntil(() => job.seen.length >= 3, job.scheduler, 8000);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['x1', 'x2', 'x3'],
      'once each, in order',
    );
    assert.equal(job.scheduler.snapshot()[0].parked, undefined, 'an outage does not park');
    assert.ok(retries.every((r) => !r.counted && /ECONNREFUSED/.test(r.reason)));
  } finally {
    await job.close();
  }
});

test('time to data loss: TTL minus the age of the oldest unprocessed data; one warning below the threshold', async () => {
  let healthy = false;
  const ttlSeconds = 30 * 86400; // the test logstores' TTL (the client's default)
  const job = await startJob({ shards: 1, fail: () => !healthy, config: { dataLossWarningSeconds: ttlSeconds - 1000 } });
  try {
    const warnings: Array<{ shardId?: number; timeToLossSeconds?: number }> = [];
    job.scheduler.on(
      'warning',
      (w) => w.shardId !== undefined && warnings.push({ shardId: w.shardId, timeToLossSeconds: w.timeToLossSeconds }),
    );
    await job.put(['old']); // received now: the oldest unprocessed data
    const putAt = Math.floor(job.clock.now() / 1000);
    job.clock.advance(61_000); // the window closes one interval after the data's receive time
    await job.runUntil(() => job.events.length >= 1, job.scheduler, 0);
    assert.equal(job.scheduler.snapshot()[0].timeToLossSeconds, ttlSeconds - 61, 'aged by the wait for its window only');
    assert.equal(warnings.length, 0);
    // 2,000 s later, still failing (blocked): 1,000 s past the threshold of TTL - 1,000 s.
    job.clock.advance(2000_000);
    await job.runUntil(() => job.events.length >= 3, job.scheduler, 1000);
    // Derived when read (like lag), not frozen at the last check: it keeps shrinking between checks.
    const nowMs = job.clock.now();
    const expected = ttlSeconds - (Math.floor(nowMs / 1000) - putAt);
    assert.equal(job.scheduler.snapshot()[0].timeToLossSeconds, expected);
    assert.equal(warnings.length, 1, 'once, not at every retry');
    assert.equal(warnings[0].shardId, 0);
    assert.ok(warnings[0].timeToLossSeconds! < ttlSeconds - 1000);
    const rows = await jobStatus(job.t.client, { project: job.project, logstore: 'source', jobName: job.config.jobName }, nowMs);
    assert.equal(rows[0].timeToLossSeconds, expected, 'status computes the same from the checkpoint');
    const statuses = (await job.scheduleLogs()).map((r) => r.task_status);
    assert.equal(statuses.filter((s) => s === 'DataLossWarning').length, 1);
    // Processed: nothing pending, no time to loss.
    healthy = true;
    await job.runUntil(() => job.seen.length >= 1, job.scheduler, 61_000);
    await job.runUntil(() => false, job.scheduler, 61_000, 2);
    assert.equal(job.scheduler.snapshot()[0].timeToLossSeconds, undefined);
  } finally {
    await job.close();
  }
});

test('a checkpoint reset while the job runs is adopted at the next heartbeat: a blocked poison range is skipped, a rewind re-delivers', async () => {
  const job = await startJob({ shards: 1, fail: (e) => job.seen.length === 0 && e.source.beginCursor === firstCursor });
  let firstCursor = '';
  try {
    firstCursor = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
    const warnings: string[] = [];
    job.scheduler.on('warning', (w) => warnings.push(w.message));
    await job.put(['poison']);
    await job.runUntil(() => job.attempts.size > 0 && [...job.attempts.values()][0] >= 4, job.scheduler, 30_000);
    assert.equal(job.seen.length, 0, 'blocked on the poison range (onRetriesExhausted: block)');
    const [{ checkpoint: end }] = await resetCheckpoints(job.t.client, job.config, { to: 'end', force: true, now: job.clock.now });
    await job.put(['after']);
    await job.runUntil(() => job.seen.length > 0, job.scheduler, 30_000);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['after'],
    );
    assert.ok(warnings.some((w) => w === `shard 0: checkpoint moved to ${end} by sls-trigger-admin; continuing from there`));
    await resetCheckpoints(job.t.client, job.config, { to: 'begin', force: true, now: job.clock.now });
    await job.runUntil(() => job.seen.length >= 3, job.scheduler, 30_000);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['after', 'poison', 'after'],
      'rewound to the beginning: everything again (the poison now passes: its failure was for the first pass only)',
    );
  } finally {
    await job.close();
  }
});
