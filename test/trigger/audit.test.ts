// audit: coverage from the schedule log and the checkpoints. Pure sweep (exact gaps and overlaps,
// a property over random tilings), then jobs on a LogHub: bisect + dead letters + skip cover every
// range; a schedule record removed is named as a gap with its cursors; a schedule-log logstore
// deleted under a running job keeps its records until it is back, and coverage is whole again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from '../../src/codec/index.js';
import { auditJob, coverShard, outcomeOf, type Covered } from '../../src/trigger/index.js';
import fc from '../helpers/fastCheck.js';
import { readLogstore, startJob } from '../helpers/job.js';

const c = (begin: number, end: number, outcome: Covered['outcome'] = 'delivered', taskId = `t${begin}`): Covered => ({
  begin: BigInt(begin),
  end: BigInt(end),
  outcome,
  taskId,
  time: 1,
});

test('coverShard: exact gaps and overlaps, clipped to [from, to); a record sent twice counts once', () => {
  const r = coverShard([c(0, 5), c(5, 8, 'skipped'), c(10, 12), c(11, 14, 'delivered', 'again'), c(0, 5), c(14, 40)], 0n, 20n);
  assert.deepEqual(
    r.gaps.map((g) => [g.begin, g.end, g.after?.taskId, g.before?.taskId]),
    [[8n, 10n, 't5', 't10']],
  );
  assert.deepEqual(
    r.overlaps.map((o) => [o.begin, o.end, o.tasks.map((t) => t.taskId)]),
    [[11n, 12n, ['t10', 'again']]],
  );
  assert.deepEqual([r.groups.delivered, r.groups.skipped], [5n + 2n + 3n + 6n, 3n]);
  const tail = coverShard([c(0, 5)], 0n, 9n);
  assert.deepEqual(
    tail.gaps.map((g) => [g.begin, g.end, g.after?.taskId, g.before]),
    [[5n, 9n, 't0', undefined]],
  );
});

test('outcomeOf: only final outcomes vouch; a partial failure vouches for [begin, resume)', () => {
  const cur = (n: number) => encodeCursor(BigInt(n));
  const rec = (task_status: string, extra: Record<string, string> = {}) =>
    outcomeOf({ task_status, begin_cursor: cur(10), end_cursor: cur(20), task_id: 'x', end_time: '7', ...extra }, decodeCursor);
  for (const s of ['Failed', 'Bisected', 'Isolated', 'Parked', 'DataLossWarning']) assert.equal(rec(s), undefined, s);
  assert.deepEqual(rec('PartialFailure', { resume_cursor: cur(15) }), { begin: 10n, end: 15n, outcome: 'partial', taskId: 'x', time: 7 });
  assert.equal(rec('RecordAgeExceeded', { dead_letter_id: 'd', error_code: 'RecordAgeExceeded' })?.outcome, 'deadLettered');
  assert.deepEqual(rec('Skipped', { error_code: 'Boom' })?.reason, 'Boom');
  assert.equal(rec('Expired')?.outcome, 'expired');
});

test('property: a tiling of [from, to) with redeliveries has no gap; removing one piece leaves exactly that gap', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 5 }),
      fc.nat(),
      (sizes, redelivered, dropAt) => {
        let at = 100;
        const pieces = sizes.map((n, i) =>
          c(at, (at += n), (['delivered', 'partial', 'deadLettered', 'skipped', 'expired'] as const)[i % 5]),
        );
        const again = redelivered.map((i) => ({ ...pieces[i % pieces.length], taskId: `again${i}` }));
        const whole = coverShard([...pieces, ...again], 100n, BigInt(at));
        assert.deepEqual(whole.gaps, []);
        const dropped = pieces[dropAt % pieces.length];
        const left = coverShard(
          pieces.filter((p) => p !== dropped),
          100n,
          BigInt(at),
        );
        assert.deepEqual(
          left.gaps.map((g) => [g.begin, g.end]),
          [[dropped.begin, dropped.end]],
        );
      },
    ),
  );
});

test('a job with bisect, dead letters and retries: every range ends in one outcome; a removed record is named as the gap', async () => {
  const job = await startJob({
    shards: 2,
    config: { bisectOnError: true, onRetriesExhausted: 'deadLetter', deadLetter: { logstore: 'dead-letter' } },
    // the 4th group of shard 0 fails whatever the range holding it
    fail: (e) => e.source.shardId === 0 && decodeCursor(e.source.beginCursor) <= poison && decodeCursor(e.source.endCursor) > poison,
  });
  const [shard0, shard1] = ['00000000000000000000000000000000', '80000000000000000000000000000000'];
  const poison = decodeCursor(await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'begin' })) + 3n;
  try {
    for (let i = 0; i < 6; i++) await job.put([`a${i}`, `b${i}`], i % 2 === 0 ? shard0 : shard1);
    await job.put(['poison'], shard0);
    await job.runUntil(() => job.seen.length >= 12 && job.events.length > 6);
    await job.runUntil(() => false, job.scheduler, 2000, 20);
    const at = { project: job.project, logstore: 'source', jobName: job.config.jobName, logConfig: job.config.logConfig };
    const report = await auditJob(job.client, at);
    assert.equal(report.gaps, 0, JSON.stringify(report.shards.map((s) => s.gaps)));
    const groups = (o: 'delivered' | 'deadLettered') => report.shards.reduce((n, s) => n + s.groups[o], 0n);
    assert.ok(groups('deadLettered') >= 1n, 'the poison group was dead-lettered');
    assert.equal(
      report.shards.reduce((n, s) => n + (s.to - s.from), 0n),
      7n,
      'all 7 groups are under the checkpoints',
    );

    // The same records but one, in another logstore: audit names that range.
    const records = await readLogstore(job.t.client, job.config.logConfig);
    const success = records.find((r) => r.task_status === 'Success')!;
    await job.t.client.createLogStore({ project: job.project, logstore: 'trigger-log-copy', shardCount: 1 });
    const copy = records.filter((r) => r !== success);
    await job.t.client.putLogs({
      project: job.project,
      logstore: 'trigger-log-copy',
      logGroup: {
        logs: copy.map((r) => ({ time: Number(r.end_time), contents: Object.entries(r).map(([key, value]) => ({ key, value })) })),
        logTags: [],
      },
    });
    const cut = await auditJob(job.client, { ...at, logConfig: { project: job.project, logstore: 'trigger-log-copy' } });
    assert.equal(cut.gaps, 1);
    const shard = cut.shards.find((s) => s.gaps.length === 1)!;
    assert.equal(shard.shardId, Number(success.shard_id));
    assert.deepEqual([encodeCursor(shard.gaps[0].begin), encodeCursor(shard.gaps[0].end)], [success.begin_cursor, success.end_cursor]);
  } finally {
    await job.close();
  }
});

test('skip policy: skipped ranges show as skipped with their reason, not as gaps', async () => {
  const job = await startJob({
    shards: 1,
    config: { jobConfig: { triggerInterval: 60, maxRetryTime: 1 }, onRetriesExhausted: 'skip' },
    fail: () => true,
  });
  try {
    await job.put(['x', 'y']);
    await job.runUntil(() => job.events.length >= 2);
    await job.runUntil(() => false, job.scheduler, 2000, 10);
    const report = await auditJob(job.client, {
      project: job.project,
      logstore: 'source',
      jobName: job.config.jobName,
      logConfig: job.config.logConfig,
    });
    assert.equal(report.gaps, 0);
    assert.equal(report.shards[0].groups.skipped, 1n);
    assert.deepEqual(Object.keys(report.shards[0].reasons), ['UnhandledInvocationError']);
  } finally {
    await job.close();
  }
});

test('the schedule-log logstore deleted under a running job: tasks go on, records wait, and land once it is back', async () => {
  const job = await startJob({ shards: 1 });
  const warnings: string[] = [];
  job.scheduler.on('warning', (w) => warnings.push(w.message));
  try {
    await job.put(['a']);
    await job.runUntil(() => job.seen.length >= 1);
    await job.t.client.deleteLogStore({ project: job.project, logstore: 'trigger-log' });
    await job.put(['b']);
    await job.runUntil(() => job.seen.length >= 2);
    await job.put(['c']);
    await job.runUntil(() => job.seen.length >= 3);
    assert.deepEqual(
      job.seen.map((s) => s.id),
      ['a', 'b', 'c'],
    );
    assert.match(warnings[0], /^schedule log write failed \(1 record\(s\) kept to be written again\): /);
    assert.match(warnings.at(-1)!, /\(2 record\(s\) kept to be written again\)/);
    await job.t.client.createLogStore({ project: job.project, logstore: 'trigger-log', shardCount: 1 });
    await job.scheduler.stop(); // flushes what waits
    const report = await auditJob(job.client, {
      project: job.project,
      logstore: 'source',
      jobName: job.config.jobName,
      logConfig: job.config.logConfig,
    });
    // the first record went with the deleted logstore: the audit starts at the first record it has
    assert.deepEqual([report.records, report.gaps, report.shards[0].groups.delivered], [2, 0, 2n]);
  } finally {
    await job.close();
  }
});
