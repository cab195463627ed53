// Issue 14's failure handling against the embedded LogHub on a manual clock: bisect to the poison
// group, partial progress, dead letters with their bytes, record age, redrive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addToCursor, compareCursors } from '../../src/codec/index.js';
import { createHandler } from '../../src/runtime/index.js';
import { FIRST_PULL_GROUPS } from '../../src/event/index.js';
import { DEFAULT_ACCESS_KEY, expireAll, serveFixture } from '../../src/loghub/index.js';
import { readDeadLetters } from '../../src/trigger/deadLetters/deadLetterStore.js';
import { redrive } from '../../src/trigger/deadLetters/redrive.js';
import { InProcessInvoker } from '../../src/trigger/invokers/inProcess.js';
import type { FcHandler } from '../../src/trigger/invokers/inProcess.js';
import { idsIn, readLogstore, startJob } from '../helpers/job.js';

const DL = (project: string) => ({ kind: 'logstore' as const, project, logstore: 'dead-letter' });

/** A createHandler function that records each log's first value; `poison(id)` throws in its batch. */
function recordingHandler(seen: string[], poison: (id: string) => boolean, batchSize = 10) {
  const handler = createHandler(
    (batch) => {
      const ids: string[] = [];
      for (const g of batch.groups) for (let i = 0; i < g.logCount; i++) ids.push(g.value(i, 0));
      const bad = ids.find(poison);
      if (bad) throw new Error(`cannot process ${bad}`);
      seen.push(...ids);
      return true;
    },
    { batchSize, credentials: DEFAULT_ACCESS_KEY },
  );
  return ((event: Buffer, ctx: Parameters<FcHandler>[1]) => handler(JSON.parse(event.toString()), ctx)) as FcHandler;
}

async function putGroups(job: Awaited<ReturnType<typeof startJob>>, n: number, prefix: string): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
  for (const id of ids) await job.put([id]);
  return ids;
}

test('bisectOnError isolates the one poison group of 4,000: only it is dead-lettered, with its bytes; the rest once, in order', async () => {
  let poisonCursor: string | undefined;
  const contains = (b: string, e: string) =>
    poisonCursor !== undefined && compareCursors(b, poisonCursor) <= 0 && compareCursors(poisonCursor, e) < 0;
  const job = await startJob({
    shards: 1,
    fail: (e) => contains(e.source.beginCursor, e.source.endCursor),
    config: { bisectOnError: true, onRetriesExhausted: 'deadLetter', deadLetter: { logstore: 'dead-letter' } },
  });
  try {
    const begin = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
    const ids = await putGroups(job, 4000, 'g');
    poisonCursor = addToCursor(begin, 2345);
    const bisects: string[] = [];
    job.scheduler.on('bisect', (b) => bisects.push(b.splitCursor));
    const endCursor = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'end' });
    await job.runUntil(() => job.scheduler.snapshot()[0]?.checkpoint === endCursor, job.scheduler, 2000, 400);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ids.filter((id) => id !== 'g2345'),
      'every other log once, in order',
    );
    const { letters } = await readDeadLetters(job.t.client, DL(job.project));
    assert.equal(letters.length, 1, 'exactly one dead letter');
    const [letter] = letters;
    assert.equal(letter.beginCursor, poisonCursor);
    assert.equal(letter.endCursor, addToCursor(poisonCursor, 1));
    assert.equal(letter.attempts, 3, 'the single group got the full maxRetryTime (2) before the dead letter');
    const stored = await job.t.client.pullLogs({ project: job.project, logstore: 'source', shardId: 0, cursor: poisonCursor, count: 1 });
    assert.equal(letter.logGroupList, stored.rawBody.toString('base64'), 'the letter holds the stored group byte for byte');
    assert.deepEqual(idsIn(letter.logGroupList), ['g2345']);
    assert.equal(bisects.length, 12, 'ceil(log2(4000)) splits down to one group');
    const statuses = (await job.scheduleLogs()).map((r) => r.task_status);
    assert.equal(statuses.filter((s) => s === 'Bisected').length, 12);
    assert.equal(statuses.filter((s) => s === 'Isolated').length, 1);
    assert.equal(statuses.filter((s) => s === 'DeadLettered').length, 1);
    const isolated = (await job.scheduleLogs()).find((r) => r.task_status === 'Isolated')!;
    assert.equal(isolated.begin_cursor, poisonCursor, "the Isolated record names the group's cursor");
  } finally {
    await job.close();
  }
});

test("without bisectOnError a poison group blocks its whole range (FC's behaviour, unchanged)", async () => {
  const job = await startJob({ shards: 1, fail: () => true });
  try {
    await putGroups(job, 50, 'b');
    await job.runUntil(() => job.events.length >= 6, job.scheduler, 30_000);
    assert.equal(job.seen.length, 0, 'nothing delivered');
    assert.equal(new Set(job.events.map((e) => e.taskId)).size, 1, 'always the whole range');
    const statuses = (await job.scheduleLogs()).map((r) => r.task_status);
    assert.ok(statuses.every((s) => s === 'Failed'));
    assert.equal((await readDeadLetters(job.t.client, DL(job.project))).letters.length, 0);
  } finally {
    await job.close();
  }
});

test('partial progress: a batch that fails once is retried from its own cursor; no log is processed twice', async () => {
  const processed: string[] = [];
  let failuresLeft = 2;
  const job = await startJob({
    shards: 1,
    handler: recordingHandler(processed, (id) => id === 'p0057' && failuresLeft-- > 0),
  });
  try {
    const ids = await putGroups(job, 100, 'p');
    await job.runUntil(() => processed.length >= 100, job.scheduler, 2000);
    assert.deepEqual(processed, ids, 'each log once, in order');
    const logs = await job.scheduleLogs();
    assert.deepEqual(
      logs.map((r) => r.task_status),
      ['PartialFailure', 'Failed', 'Success'],
      'a retry that fails before any progress fails whole, as on FC',
    );
    const begin = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
    // batches: a first pull of FIRST_PULL_GROUPS (the handler has not seen a group yet), then of 10
    const failedBatch = FIRST_PULL_GROUPS + 10 * Math.floor((57 - FIRST_PULL_GROUPS) / 10);
    assert.equal(failedBatch, 48);
    assert.equal(logs[0].resume_cursor, addToCursor(begin, failedBatch), 'resumes at the first group of the failed batch');
    assert.equal(logs[0].ship_lines, String(failedBatch), 'the counters cover the processed part');
    assert.deepEqual([logs[1].begin_cursor, logs[2].begin_cursor], [logs[0].resume_cursor, logs[0].resume_cursor]);
  } finally {
    await job.close();
  }
});

test('partial progress with bisect: only the poison group is dead-lettered, every other log processed once', async () => {
  const processed: string[] = [];
  const job = await startJob({
    shards: 1,
    handler: recordingHandler(processed, (id) => id === 'q0123'),
    config: { bisectOnError: true, onRetriesExhausted: 'deadLetter', deadLetter: { logstore: 'dead-letter' } },
  });
  try {
    const ids = await putGroups(job, 200, 'q');
    const end = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'end' });
    await job.runUntil(() => job.scheduler.snapshot()[0]?.checkpoint === end, job.scheduler, 2000, 300);
    assert.deepEqual(
      processed,
      ids.filter((id) => id !== 'q0123'),
    );
    const { letters } = await readDeadLetters(job.t.client, DL(job.project));
    assert.deepEqual(
      letters.map((l) => idsIn(l.logGroupList)),
      [['q0123']],
    );
  } finally {
    await job.close();
  }
});

test('maxRecordAgeSeconds: the too-old head of a range is dead-lettered under its own status, the rest delivered', async () => {
  const job = await startJob({
    shards: 1,
    config: { jobConfig: { triggerInterval: 120, maxRetryTime: 2 }, maxRecordAgeSeconds: 50, deadLetter: { logstore: 'dead-letter' } },
  });
  try {
    const begin = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
    await putGroups(job, 5, 'old');
    job.clock.advance(100_000);
    const fresh = await putGroups(job, 5, 'new');
    await job.runUntil(() => job.seen.length >= 5);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      fresh,
    );
    assert.equal(job.events.length, 1);
    assert.equal(job.events[0].source.beginCursor, addToCursor(begin, 5), 'the delivered range starts at the first fresh group');
    const aged = (await job.scheduleLogs()).filter((r) => r.task_status === 'RecordAgeExceeded');
    assert.deepEqual(
      aged.map((r) => [r.begin_cursor, r.end_cursor]),
      [[begin, addToCursor(begin, 5)]],
    );
    const { letters } = await readDeadLetters(job.t.client, DL(job.project));
    assert.deepEqual(
      letters.map((l) => [l.reason, idsIn(l.logGroupList).join(',')]),
      [['RecordAgeExceeded', 'old0000,old0001,old0002,old0003,old0004']],
    );
    assert.equal(aged[0].dead_letter_id, letters[0].id);
  } finally {
    await job.close();
  }
});

test('dead letters respect maxDataBytes (whole groups, marked) and go to a directory as replayable fixtures', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-dl-'));
  const job = await startJob({
    shards: 1,
    fail: () => true,
    config: { onRetriesExhausted: 'deadLetter', deadLetter: { dir, maxDataBytes: 200 } },
  });
  try {
    const ids = await putGroups(job, 20, 'd');
    await job.runUntil(() => readdirSync(dir).some((f) => f.endsWith('.json')));
    const { letters } = await readDeadLetters(job.client, { kind: 'dir', dir });
    assert.equal(letters.length, 1);
    const l = letters[0];
    assert.equal(l.data.truncated, true);
    assert.ok(l.data.bytes <= 200 && l.data.bytes > 0);
    const kept = idsIn(l.logGroupList);
    assert.deepEqual(kept, ids.slice(0, kept.length), 'a prefix of whole groups');
    assert.equal(l.data.endCursor, addToCursor(l.beginCursor, kept.length), 'the cursor after the last saved group');
    // the file is a fixture: served offline, the function reads exactly the saved groups
    const file = path.join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.json'))!,
    );
    const { hub, event } = await serveFixture(JSON.parse(readFileSync(file, 'utf8')));
    try {
      const got = await readRangeIds(hub.endpoint, { ...event, source: { ...event.source, endCursor: l.data.endCursor } });
      assert.deepEqual(got, kept);
    } finally {
      await hub.close();
    }
  } finally {
    await job.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function readRangeIds(endpoint: string, event: import('../../src/event/index.js').TriggerEvent): Promise<string[]> {
  const { LogClient } = await import('../../src/client/index.js');
  const { readRange } = await import('../helpers/job.js');
  const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
  try {
    return await readRange(client, event);
  } finally {
    client.close();
  }
}

test('redrive after the source expired by TTL delivers the saved bytes and records it; a second redrive skips', async () => {
  const job = await startJob({
    shards: 1,
    fail: () => true,
    config: { onRetriesExhausted: 'deadLetter', deadLetter: { logstore: 'dead-letter' } },
  });
  try {
    await job.t.client.updateLogStore({ project: job.project, logstore: 'source', ttl: 1 });
    const ids = await putGroups(job, 30, 'r');
    await job.runUntil(() => job.scheduler.snapshot()[0]?.attempt === 0 && job.events.length >= 3);
    job.clock.advance(2 * 86400_000);
    await expireAll(job.t.hub.state);
    const srcBegin = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
    const { letters } = await readDeadLetters(job.t.client, DL(job.project));
    assert.equal(letters.length, 1);
    assert.ok(compareCursors(srcBegin, letters[0].endCursor) >= 0, 'the TTL removed the whole range from the source');
    const delivered: string[] = [];
    const invoker = new InProcessInvoker(recordingHandler(delivered, () => false));
    const options = {
      client: job.client,
      target: DL(job.project),
      invoker,
      credentials: DEFAULT_ACCESS_KEY,
      timeoutMs: 10_000,
      canServeSaved: true,
      now: job.clock.now,
      serveSaved: async (f: Parameters<typeof serveFixture>[0]) => {
        const { hub, event } = await serveFixture(f);
        return { event, close: () => hub.close() };
      },
    };
    const first = await redrive(options);
    assert.deepEqual(
      first.items.map((i) => [i.action, i.dataSource]),
      [['redriven', 'saved']],
    );
    assert.deepEqual(delivered, ids, 'the saved bytes, every log');
    const second = await redrive(options);
    assert.deepEqual([second.items.length, second.skipped], [0, 1]);
    const again = await redrive({ ...options, filter: { all: true }, dryRun: true });
    assert.deepEqual(
      again.items.map((i) => i.action),
      ['wouldRedrive'],
    );
    assert.deepEqual(delivered, ids, 'a dry run invokes nothing');
  } finally {
    await job.close();
  }
});

test('a large dead letter is split over several data logs and read back byte for byte', async () => {
  const job = await startJob({
    shards: 1,
    fail: () => true,
    config: {
      jobConfig: { triggerInterval: 60, maxRetryTime: 0 },
      onRetriesExhausted: 'deadLetter',
      deadLetter: { logstore: 'dead-letter' },
    },
  });
  try {
    const begin = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' });
    const big = 'x'.repeat(700 * 1024);
    for (let i = 0; i < 3; i++)
      await job.t.client.putLogs({
        project: job.project,
        logstore: 'source',
        logGroup: {
          logs: [
            {
              time: Math.floor(job.clock.now() / 1000),
              contents: [
                { key: 'id', value: `big${i}` },
                { key: 'pad', value: big },
              ],
            },
          ],
          logTags: [],
        },
      });
    const end = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'end' });
    await job.runUntil(() => job.scheduler.snapshot()[0]?.checkpoint === end);
    const stored = await job.t.client.pullLogs({ project: job.project, logstore: 'source', shardId: 0, cursor: begin, count: 3 });
    const { letters } = await readDeadLetters(job.t.client, DL(job.project));
    assert.equal(letters.length, 1);
    assert.equal(letters[0].data.groups, 3);
    assert.equal(letters[0].logGroupList, stored.rawBody.toString('base64'));
    const parts = Math.ceil(stored.rawBody.length / (512 * 1024));
    assert.ok(parts >= 4, `${parts} parts`);
    const headers = (await pullAll(job, 'dead-letter')).filter((f) => f.data_parts !== undefined);
    assert.deepEqual(
      headers.map((h) => h.data_parts),
      [String(parts)],
    );
  } finally {
    await job.close();
  }
});

const pullAll = (job: Awaited<ReturnType<typeof startJob>>, logstore: string) =>
  readLogstore(job.t.client, { project: job.project, logstore });
