import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { addToCursor, encodeLogGroup } from '../../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { createHandler, type LogRecord } from '../../src/runtime/index.js';
import { LocalInvoker } from '../../src/trigger/invokers/local.js';
import { startTestHub } from '../helpers/hub.js';

let t: Awaited<ReturnType<typeof startTestHub>>;
let begin = '';
let end = '';
const P = 'rt-proj';
const groupBytes: number[] = [];

before(async () => {
  t = await startTestHub('memory', { now: Date.now });
  await t.client.createProject({ project: P });
  await t.client.createLogStore({ project: P, logstore: 'src', shardCount: 1 });
  begin = await t.client.getCursor({ project: P, logstore: 'src', shardId: 0, from: 'begin' });
  for (let g = 0; g < 5; g++) {
    const group = {
      logs: [0, 1, 2].map((i) => ({
        time: 1700000000 + i,
        contents: [
          { key: 'n', value: `${g}-${i}` },
          { key: 'msg', value: 'hello' },
        ],
      })),
      topic: g === 2 ? 'noise' : 'app',
      source: '10.0.0.1',
      logTags: [{ key: 'host', value: 'web-1' }],
    };
    groupBytes.push(encodeLogGroup(group).length);
    await t.client.putLogs({ project: P, logstore: 'src', logGroup: group });
  }
  end = await t.client.getCursor({ project: P, logstore: 'src', shardId: 0, from: 'end' });
});
after(() => t.close());

const event = (b: string, e: string, parameter: Record<string, unknown> = {}) => ({
  source: { endpoint: t.hub.endpoint, projectName: P, logstoreName: 'src', shardId: 0, beginCursor: b, endCursor: e },
  parameter,
  jobName: 'a'.repeat(40),
  taskId: '00000000-0000-5000-8000-000000000000',
  cursorTime: 1700000000,
});
const ctx = { requestId: 'req-1', credentials: DEFAULT_ACCESS_KEY, logger: { info: () => undefined } };

test('counters as the Java template: every group ingested, shipped only when processData says true', async () => {
  const pages: number[] = [];
  const h = createHandler(
    (batch) => {
      pages.push(batch.groups.length);
      return batch.groups[0].topic !== 'noise';
    },
    { batchSize: 2 },
  );
  const r = await h(Buffer.from(JSON.stringify(event(begin, end))), ctx);
  assert.deepEqual(pages, [2, 2, 1], 'pages of batchSize groups');
  const total = groupBytes.reduce((a, b) => a + b, 0);
  assert.equal(r.ingestLines, 15);
  assert.equal(r.ingestBytes, total);
  assert.equal(r.shipLines, 9, 'the page holding the noise group was skipped');
  assert.equal(r.shipBytes, total - groupBytes[2] - groupBytes[3]);
  assert.equal(r.emptyTrigger, false);
  assert.deepEqual(Object.keys(r).slice(0, 4), ['ingestLines', 'ingestBytes', 'shipLines', 'shipBytes']);
});

test('the range is half-open and read exactly', async () => {
  const seen: string[] = [];
  const h = createHandler((batch) => {
    for (const r of batch.records()) seen.push(r.n);
    return true;
  });
  await h(event(addToCursor(begin, 1), addToCursor(begin, 3)), ctx);
  assert.deepEqual(seen, ['1-0', '1-1', '1-2', '2-0', '2-1', '2-2']);
});

test('flat records carry time, topic, source, tags and fields', async () => {
  let first: LogRecord | undefined;
  const h = createHandler((batch) => {
    first ??= [...batch.records()][0];
    return true;
  });
  await h(event(begin, addToCursor(begin, 1)), ctx);
  assert.deepEqual(first, {
    __time__: '1700000000',
    __topic__: 'app',
    __source__: '10.0.0.1',
    '__tag__:host': 'web-1',
    n: '0-0',
    msg: 'hello',
  });
});

test('empty trigger: begin == end, or a range whose pull finds no groups: no processData call, zero counters', async () => {
  const { createServer } = await import('node:http');
  // An SLS endpoint whose PullLogs answers "no groups, cursor unchanged" (data expired under the range).
  const pulls: string[] = [];
  const empty = createServer((req, res) => {
    const cursor = new URL(req.url ?? '/', 'http://x').searchParams.get('cursor') ?? '';
    pulls.push(cursor);
    res.writeHead(200, {
      'content-type': 'application/x-protobuf',
      'x-log-count': '0',
      'x-log-cursor': cursor,
      'x-log-bodyrawsize': '0',
      'content-length': 0,
    });
    res.end();
  });
  await new Promise<void>((r) => empty.listen(0, '127.0.0.1', r));
  const emptyEndpoint = `http://127.0.0.1:${(empty.address() as import('node:net').AddressInfo).port}`;
  try {
    let calls = 0;
    const lines: string[] = [];
    const h = createHandler(() => {
      calls++;
      return true;
    });
    const noGroups = { ...event(begin, end), source: { ...event(begin, end).source, endpoint: emptyEndpoint } };
    for (const e of [event(end, end), noGroups]) {
      const r = await h(e, { ...ctx, logger: { info: (l: unknown) => lines.push(String(l)) } });
      assert.deepEqual([r.ingestLines, r.shipLines, r.pulls, r.emptyTrigger], [0, 0, 0, true]);
    }
    assert.equal(calls, 0);
    assert.deepEqual(pulls, [begin], 'the second range was pulled once, from its begin');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^\[job=a{40} task=00000000-0000-5000-8000-000000000000 shard=0\] empty trigger/);
  } finally {
    empty.close();
  }
});

test('throwing fails the invocation; bad events and parameters name the field', async () => {
  const h = createHandler(() => {
    throw new Error('downstream down');
  });
  await assert.rejects(h(event(begin, end), ctx), /downstream down/);
  const strict = createHandler(() => true, {
    parameterSchema: { type: 'object', required: ['target'], properties: { target: { type: 'string' } } },
  });
  await assert.rejects(strict(event(begin, end, {}), ctx), /parameter is invalid: target is required/);
  await assert.rejects(strict(event(begin, end, { target: 5 }), ctx), /parameter is invalid: target must be string/);
  const bad = { ...event(begin, end), source: { ...event(begin, end).source, shardId: 'zero' } };
  await assert.rejects(strict(bad, ctx), /event is invalid: source.shardId must be integer/);
  await assert.rejects(strict('not json', ctx), /event is invalid: \(root\) is not JSON/);
  let cbErr: unknown;
  await h(event(begin, end), ctx, (err) => (cbErr = err));
  assert.match(String(cbErr), /downstream down/, 'callback style gets the error');
});

test('a createHandler module runs under the local invoker as FC loads it (initializer, logger, parameter)', async () => {
  const inv = new LocalInvoker({
    module: fileURLToPath(new URL('../fixtures/functions/counting.ts', import.meta.url)),
    initializer: 'initialize',
  });
  try {
    const r = await inv.invoke({
      event: Buffer.from(JSON.stringify(event(begin, end, { skipTopic: 'app' }))),
      requestId: 'w-1',
      timeoutMs: 10_000,
      credentials: DEFAULT_ACCESS_KEY,
    });
    assert.ok(r.ok, JSON.stringify(r));
    const body = JSON.parse(r.body.toString());
    assert.equal(body.ingestLines, 15);
    // pages of 2 groups: [app, app] skipped, [noise, app] shipped, [app] skipped
    assert.equal(body.shipLines, 6);
    assert.ok(
      r.logs.some((l) => / w-1 \[info\] \[job=a{40} task=.* shard=0\] page \{"logs":6\}/.test(l)),
      r.logs.join('\n'),
    );
    const bad = await inv.invoke({
      event: Buffer.from(JSON.stringify(event(begin, end, { nope: 1 }))),
      requestId: 'w-2',
      timeoutMs: 10_000,
      credentials: DEFAULT_ACCESS_KEY,
    });
    assert.ok(!bad.ok && bad.kind === 'function' && /nope is not a known field/.test(bad.error.errorMessage));
  } finally {
    await inv.close();
  }
});

test('begin after end, or a cursor that is not a cursor, is an error naming the field', async () => {
  const h = createHandler(() => true);
  await assert.rejects(h(event(addToCursor(begin, 2), begin), ctx), (e: Error) => {
    assert.equal(e.name, 'ValidationError');
    assert.match(e.message, new RegExp(`source.beginCursor ${addToCursor(begin, 2)} .* is after source.endCursor ${begin}`));
    return true;
  });
  await assert.rejects(h(event('LTA=', end), ctx), /source.beginCursor cursor "LTA=" does not hold a decimal integer/);
  await assert.rejects(h(event(begin, 'QUJD'), ctx), /source.endCursor cursor "QUJD" does not hold a decimal integer/);
});

test('an endpoint that never answers, or refuses, fails with a clear error before the function timeout', async () => {
  const { createServer } = await import('node:net');
  const held: import('node:net').Socket[] = [];
  const silent = createServer((s) => held.push(s)); // accepts, reads, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const refused = createServer();
  await new Promise<void>((r) => refused.listen(0, '127.0.0.1', r));
  const refusedPort = (refused.address() as import('node:net').AddressInfo).port;
  await new Promise<void>((r) => refused.close(() => r()));
  try {
    const h = createHandler(() => true);
    for (const endpoint of [
      `http://127.0.0.1:${(silent.address() as import('node:net').AddressInfo).port}`,
      `http://127.0.0.1:${refusedPort}`,
    ]) {
      const e = { ...event(begin, end), source: { ...event(begin, end).source, endpoint } };
      // function.timeout 2 s: each pull's timeout fits in what remains, no retry starts past the deadline
      await assert.rejects(h(e, { ...ctx, function: { timeout: 2 } }), (err: Error & { code?: string; cause?: Error }) => {
        assert.equal(err.name, 'DeadlineError', `${endpoint}: ${err.message}`);
        assert.equal(err.code, 'DeadlineExceeded');
        assert.match(err.message, /no time left before the deadline/);
        assert.ok(
          err.message.startsWith(`reading shard 0 from ${endpoint} did not finish within the function timeout of 2 s: `),
          err.message,
        );
        return true;
      });
      // Local use, no function timeout in the context: bounded by readBudgetMs (before: 20 retries of a
      // 30 s request timeout, over 120 s, for the silent endpoint).
      const local = createHandler(() => true, { readBudgetMs: 1500 });
      await assert.rejects(local(e, ctx), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'DeadlineExceeded', err.message);
        const budget = 'readBudgetMs 1500 ms (the context names no function timeout)';
        assert.ok(err.message.startsWith(`reading shard 0 from ${endpoint} did not finish within ${budget}: `), err.message);
        return true;
      });
    }
  } finally {
    held.forEach((s) => s.destroy());
    silent.close();
  }
});

test('createHandler checks its options at construction, naming the bad one', () => {
  const fn = () => true;
  assert.throws(() => createHandler(fn, { batchsize: 5 } as never), /createHandler options is invalid: batchsize is not a known field/);
  assert.throws(() => createHandler(fn, { batchSize: 0 }), /createHandler options is invalid: batchSize must be >= 1/);
  assert.throws(() => createHandler(fn, { retry: { retires: 3 } } as never), /retry.retires is not a known field/);
  assert.throws(() => createHandler(fn, { credentials: { accessKeyId: 'a' } } as never), /credentials.accessKeySecret is required/);
  assert.equal(typeof createHandler(fn, { batchSize: 1000, retry: { retries: 0 } }), 'function');
});

test('partial progress: with the capability a later batch failing reports where to resume; without it the handler throws as on FC', async () => {
  let pages = 0;
  const h = createHandler(
    () => {
      if (++pages === 2) throw new Error('sink rejected the batch');
      return true;
    },
    { batchSize: 2 },
  );
  pages = 0;
  await assert.rejects(h(event(begin, end), ctx), /sink rejected the batch/, 'no capability: FC semantics');
  pages = 0;
  const r = await h(
    { ...event(begin, end), capabilities: ['partialProgress'] },
    { ...ctx, logger: { info: () => undefined, error: () => undefined } },
  );
  assert.deepEqual(r.partialFailure, { resumeCursor: addToCursor(begin, 2), errorType: 'Error', errorMessage: 'sink rejected the batch' });
  assert.deepEqual([r.ingestLines, r.shipLines], [12, 6], 'the first page shipped; the failed one was read, not shipped');
  pages = 1;
  await assert.rejects(
    h({ ...event(begin, end), capabilities: ['partialProgress'] }, ctx),
    /sink rejected the batch/,
    'a failure before any progress throws even with the capability',
  );
});

test('ctx.logId names each log by shard position: the same on every read, distinct across logs', async () => {
  const ids: string[][] = [[], []];
  for (const run of [0, 1]) {
    const h = createHandler(
      (batch, c) => {
        for (const g of batch.groups) for (let i = 0; i < g.logCount; i++) ids[run].push(c.logId(g, i));
        return true;
      },
      { batchSize: run === 0 ? 2 : 5 },
    );
    await h(event(begin, end), ctx);
  }
  assert.equal(ids[0].length, 15);
  assert.deepEqual(ids[0], ids[1], 'page size does not change the ids');
  assert.equal(new Set(ids[0]).size, 15);
  assert.equal(ids[0][4], `${P}/src/0/${Buffer.from(addToCursor(begin, 1), 'base64').toString()}/1`);
  const h = createHandler((batch, c) => {
    c.logId(batch.groups[0], 3);
    return true;
  });
  await assert.rejects(h(event(begin, end), ctx), /log index 3 is outside the group's 3 logs/);
});

test('a collecting sink: finish runs once after the last batch, counters reach the result, a failed range is retried whole', async () => {
  const withCapability = { ...event(begin, end), capabilities: ['partialProgress'] };
  const quiet = { ...ctx, logger: { info: () => undefined, error: () => undefined } };
  const collected = new WeakMap<object, string[]>();
  let failAt = 0;
  let pages = 0;
  const finished: string[][] = [];
  const h = createHandler(
    (batch, c) => {
      if (++pages === failAt) throw new Error('bad page');
      const rows = collected.get(c) ?? [];
      for (const r of batch.records()) rows.push(r.n);
      collected.set(c, rows);
      c.count('rows', batch.logCount);
      c.count('pages');
      return true;
    },
    { batchSize: 2, finish: (c) => void finished.push(collected.get(c) ?? []) },
  );
  const r = await h(withCapability, quiet);
  assert.equal(finished.length, 1);
  assert.equal(finished[0].length, 15);
  assert.deepEqual(r.counters, { rows: 15, pages: 3 });
  [pages, failAt] = [0, 2];
  await assert.rejects(h(withCapability, quiet), /bad page/, 'with finish, no partial progress: nothing of the range was written');
  assert.equal(finished.length, 1, 'finish does not run for a failed range');
  const empty = await h(event(begin, begin), quiet);
  assert.equal(finished.length, 2, 'an empty trigger is finished too');
  assert.equal(empty.counters, undefined, 'no counters when nothing counted');
  const failing = createHandler(() => true, { finish: () => Promise.reject(new Error('upload failed')) });
  await assert.rejects(failing(event(begin, end), quiet), /upload failed/);
  const counting = createHandler((_b, c) => (c.count(''), true));
  await assert.rejects(counting(event(begin, end), quiet), /ctx.count: the counter name must be a non-empty string/);
});
