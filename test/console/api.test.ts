// The console's JSON API over a finished job (helpers/consoleJob.ts): every endpoint's shape and
// filters, the rules for mutations (token, origin, content type) and for the Host header, and
// /metrics with exact counter values for the known workload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { addToCursor } from '../../src/codec/index.js';
import { eventOf } from '../../src/event/index.js';
import { POISON, SHARD_KEY, startConsoleJob } from '../helpers/consoleJob.js';

let c: Awaited<ReturnType<typeof startConsoleJob>>;
const checks = { all: 0, empty: 0 };

before(async () => {
  c = await startConsoleJob();
  c.job.scheduler.on('check', (e) => (checks.all++, e.found || checks.empty++));
  await c.run();
});
after(() => c.close());

async function get(path: string) {
  const r = await fetch(new URL(path, c.console.url));
  return { status: r.status, body: (await r.json()) as Record<string, any> };
}

/** A raw request, so tests can set Host, Origin and Sec-Fetch-Site as a browser or an attacker would. */
function rawTo(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: any }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const raw = (method: string, path: string, headers: Record<string, string>, body?: string) =>
  rawTo(c.console.url, method, path, headers, body);
const postTo = (base: string, path: string, body: object, headers: Record<string, string> = {}) =>
  rawTo(base, 'POST', path, { 'content-type': 'application/json', 'x-console-token': 'test-token', ...headers }, JSON.stringify(body));
const post = (path: string, body: object, headers: Record<string, string> = {}) => postTo(c.console.url, path, body, headers);

test('overview: every shard with owner, checkpoint, lag, time to loss and last task', async () => {
  const { status, body } = await get('/api/overview');
  assert.equal(status, 200);
  assert.equal(body.mode, 'live');
  assert.equal(body.job.name, c.job.config.jobName);
  assert.equal(body.job.canInvoke, true);
  assert.deepEqual(
    body.shards.map((s: any) => [s.shardId, s.owner, s.pendingGroups, s.lagSeconds, s.lagText, s.timeToLossText, s.lastTask.status]),
    [
      [0, 'instance-a', 0, 0, '0s', '-', 'Success'],
      [1, 'instance-a', 0, 0, '0s', '-', 'DeadLettered'],
    ],
  );
  assert.equal(body.shards[1].lastTask.errorMessage, `cannot process ${POISON}`);
});

test('series: a lag point per shard per sample, lines per interval, a duration per attempt', async () => {
  const { body } = await get('/api/series');
  assert.ok(body.lag.length >= 3);
  for (const s of body.lag) assert.deepEqual(Object.keys(s.lag), ['0', '1']);
  assert.ok(
    body.lag.some((s: any) => s.lag['1'] > 0),
    'shard 1 lagged while its range was failing',
  );
  assert.deepEqual(
    body.intervals.map((b: any) => [b.ingestLines, b.shipLines]),
    [[6, 6]],
  );
  assert.deepEqual(body.durations.map((d: any) => [d.shardId, d.status]).sort(), [
    [0, 'Success'],
    [1, 'DeadLettered'],
    [1, 'Failed'],
  ]);
  assert.equal(body.keep, 900, 'points kept per series: the page trims its merged copy to the same');
});

test('tasks: newest first, filtered by shard, status and time; a task expands to its event and process-log lines', async () => {
  const all = (await get('/api/tasks')).body.tasks;
  assert.deepEqual(
    all.map((t: any) => [t.shard_id, t.task_status]),
    [
      [1, 'DeadLettered'],
      [1, 'Failed'],
      [0, 'Success'],
    ],
  );
  assert.deepEqual(
    (await get('/api/tasks?shard=0')).body.tasks.map((t: any) => t.task_status),
    ['Success'],
  );
  assert.deepEqual((await get('/api/tasks?status=Failed')).body.tasks.length, 1);
  const first = all[2].end_time;
  assert.deepEqual(
    (await get(`/api/tasks?from=${first + 1}`)).body.tasks.map((t: any) => t.task_status),
    ['DeadLettered'],
  );
  assert.deepEqual((await get(`/api/tasks?to=${first}`)).body.tasks.length, 2);
  assert.equal((await get('/api/tasks?shard=x')).status, 400);
  assert.match((await get('/api/tasks?shard=x')).body.error, /shard must be a whole number in 0\.\.1000000000, got "x"/);

  const failed = all[1];
  const q = new URLSearchParams({ shard: '1', begin: failed.begin_cursor, end: failed.end_cursor, requestId: failed.request_id });
  const d = (await get(`/api/task?${q}`)).body;
  const src = { endpoint: c.job.client.endpoint.url, project: c.project, logstore: 'source', jobName: c.job.config.jobName, parameter: {} };
  assert.deepEqual(d.event, eventOf(src, 1, failed.begin_cursor, failed.end_cursor, failed.cursor_time));
  assert.equal(d.logs.length, 1);
  assert.match(d.logs[0], /batch of 6: b0,b1,b2,b3,b4,b5$/);
  assert.equal(d.processLog, `${c.project}/fn-log`);
});

test('dead letters: listed with their data; replay runs the range, redrive marks the letter', async () => {
  const { body } = await get('/api/dead-letters');
  assert.equal(body.letters.length, 1);
  const l = body.letters[0];
  assert.deepEqual(
    [l.shardId, l.reason, l.errorMessage, l.data.groups, l.redriven],
    [1, 'RetriesExhausted', `cannot process ${POISON}`, 6, null],
  );
  const replayed = await post('/api/replay', { shardId: 1, beginCursor: l.beginCursor, endCursor: addToCursor(l.beginCursor, 3) });
  assert.equal(replayed.status, 200, JSON.stringify(replayed.body));
  assert.equal(replayed.body.ok, true, JSON.stringify(replayed.body));
  assert.equal(JSON.parse(replayed.body.result).ingestLines, 3);
  const again = await post('/api/replay', { shardId: 1, beginCursor: l.beginCursor, endCursor: l.endCursor });
  assert.equal(again.body.ok, false);
  assert.equal(again.body.error.errorMessage, `cannot process ${POISON}`);
  const redriven = await post('/api/dead-letters/redrive', { id: l.id });
  assert.equal(redriven.status, 200);
  assert.deepEqual([redriven.body.items.length, redriven.body.failed], [1, 1], 'the function still fails on the poison log');
  assert.equal((await post('/api/dead-letters/redrive', { id: 'nope' })).status, 400);
  assert.match((await post('/api/replay', { beginCursor: 'x' })).body.error, /shardId is required/);
});

test('preview: the first groups of a shard from a time', async () => {
  const { body } = await get('/api/preview?shard=1&from=begin&count=2');
  assert.deepEqual(
    body.groups.map((g: any) => [g.topic, g.logs[0].contents]),
    [
      ['t1', [{ key: 'id', value: 'b0' }]],
      ['t1', [{ key: 'id', value: 'b1' }]],
    ],
  );
  assert.equal(body.groups[1].cursor, addToCursor(body.cursor, 1));
  assert.equal((await get('/api/preview?count=0')).status, 400);
  const spl = (await get(`/api/preview?shard=1&from=begin&count=2&spl=${encodeURIComponent("* | where id = 'b1'")}`)).body;
  assert.deepEqual(
    [spl.groups.map((g: any) => g.logs[0].contents), spl.spl.rawGroups, spl.spl.resultLines],
    [[[{ key: 'id', value: 'b1' }]], 2, 1],
  );
  const bad = await get(`/api/preview?spl=${encodeURIComponent('* | sort id')}`);
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /unsupported instruction 'sort'/);
});

test('checkpoint reset: refused while the consumer is live, done with force, checked through the SLS API', async () => {
  // its own job: the reset moves shard 0 back, which the shared job's other tests must not see
  const own = await startConsoleJob();
  try {
    await own.run();
    await resetOn(own);
  } finally {
    await own.close();
  }
});

async function resetOn(c: Awaited<ReturnType<typeof startConsoleJob>>) {
  const post = (path: string, body: object) => postTo(c.console.url, path, body);
  // a fresh commit on shard 0 makes its consumer live again
  await c.job.t.client.putLogs({
    project: c.project,
    logstore: 'source',
    hashKey: SHARD_KEY[0],
    logGroup: { logs: [{ time: Math.floor(c.job.clock.now() / 1000), contents: [{ key: 'id', value: 'a6' }] }], logTags: [] },
  });
  c.job.clock.advance(61_000); // a6's window has closed
  await c.job.scheduler.tick();
  await c.job.scheduler.whenIdle();
  const refused = await post('/api/checkpoints/reset', { to: 'begin', shardId: 0 });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error, /committed within the last \d+s: stop the job first, or tick "force" to reset anyway/);
  const done = await post('/api/checkpoints/reset', { to: 'begin', shardId: 0, force: true });
  assert.equal(done.status, 200);
  const begin = await c.job.client.getCursor({ project: c.project, logstore: 'source', shardId: 0, from: 'begin' });
  const end = await c.job.client.getCursor({ project: c.project, logstore: 'source', shardId: 0, from: 'end' });
  const groups = Number(BigInt(Buffer.from(begin, 'base64').toString()) - BigInt(Buffer.from(end, 'base64').toString()));
  assert.deepEqual(done.body.checkpoints, [{ shardId: 0, previous: end, checkpoint: begin, groups, heldBy: 'instance-a' }]);
  assert.ok(groups < 0, 'a move back re-delivers');
  const cps = await c.job.client.getCheckpoint({ project: c.project, logstore: 'source', consumerGroup: c.job.config.jobName });
  assert.equal(cps.find((x) => x.shard === 0)?.checkpoint, begin);
  assert.match((await post('/api/checkpoints/reset', { to: 'yesterday' })).body.error, /to "yesterday" is not begin, end/);
}

test('mutations need the token, JSON and this origin; reads need a Host naming the console', async () => {
  const body = { to: 'end', shardId: 0, force: true };
  const host = new URL(c.console.url).host;
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ 'x-console-token': '' }, /missing or wrong x-console-token/],
    [{ 'x-console-token': 'test-tokeN' }, /missing or wrong x-console-token/],
    [{ origin: 'http://evil.example' }, /cross-origin request from http:\/\/evil\.example refused/],
    [{ 'sec-fetch-site': 'cross-site' }, /cross-site request \(cross-site\) refused/],
    [{ 'content-type': 'text/plain' }, /Content-Type: application\/json/],
  ];
  for (const [headers, message] of cases) {
    const r = await post('/api/checkpoints/reset', body, headers);
    assert.equal(r.status, 403, JSON.stringify(headers));
    assert.match(r.body.error, message);
  }
  const same = await post('/api/checkpoints/reset', body, { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' });
  assert.equal(same.status, 200);
  const rebound = await raw('GET', '/api/overview', { host: `attacker.example:${new URL(c.console.url).port}` });
  assert.equal(rebound.status, 403);
  assert.match(rebound.body.error, /does not name this console/);
  assert.equal((await raw('GET', '/api/overview', { host: `localhost:${new URL(c.console.url).port}` })).status, 200);
  const asGet = await raw('GET', '/api/checkpoints/reset', {});
  assert.deepEqual([asGet.status, asGet.body.error], [403, 'mutations are POST requests']);
});

test('the page carries the token; /metrics has exact counters for the workload', async () => {
  const page = await (await fetch(c.console.url)).text();
  assert.match(page, /<meta name="console-token" content="test-token" \/>/);
  const text = await (await fetch(new URL('/metrics', c.console.url))).text();
  const value = (series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    assert.ok(line, `${series} in /metrics`);
    return Number(line.slice(series.length + 1));
  };
  // trigger_job, not job: Prometheus keeps `job` for its scrape target (it would become exported_job)
  const job = `trigger_job="${c.job.config.jobName}",logstore="${c.job.project}/source"`;
  // shard 0's one range (a0..a5), shard 1's failure and its dead letter
  assert.equal(value(`sls_trigger_invocations_total{${job},status="Success"}`), 1);
  assert.equal(value(`sls_trigger_invocations_total{${job},status="Failed"}`), 1);
  assert.equal(value(`sls_trigger_invocations_total{${job},status="DeadLettered"}`), 1);
  assert.equal(value(`sls_trigger_invocation_duration_seconds_count{${job}}`), 3);
  assert.equal(value(`sls_trigger_ingested_lines_total{${job}}`), 6);
  assert.equal(value(`sls_trigger_shipped_lines_total{${job}}`), 6);
  assert.equal(value(`sls_trigger_dead_letters_total{${job},reason="RetriesExhausted"}`), 1);
  assert.equal(value(`sls_trigger_retries_total{${job},kind="function"}`), 1);
  assert.equal(value(`sls_trigger_polls_total{${job}}`), checks.all);
  assert.equal(value(`sls_trigger_empty_polls_saved_total{${job}}`), checks.empty);
  assert.ok(checks.empty > 0 && checks.all > checks.empty);
  assert.equal(value(`sls_trigger_shard_lag_seconds{${job},shard="1"}`), 0);
  assert.equal(value(`sls_trigger_shard_parked{${job},shard="1"}`), 0);
  // known up front: series that never happened read 0 instead of being absent
  assert.equal(value(`sls_trigger_invocations_total{${job},status="PartialFailure"}`), 0);
  assert.equal(value(`sls_trigger_dead_letters_total{${job},reason="RecordAgeExceeded"}`), 0);
  assert.equal(value(`sls_trigger_expired_groups_total{${job}}`), 0);
  assert.doesNotMatch(text, /[{,]job="/);
});

test('the stream pushes each sample as a server-sent event with lag, shards and the tasks since the last sample', async () => {
  // its own job: a new task is made here, which the shared job's counters must not see
  const own = await startConsoleJob();
  try {
    await own.run();
    const url = new URL('/api/stream', own.console.url);
    const samples: Array<{
      lag: { lag: Record<string, number> };
      shards: Array<{ shardId: number }>;
      tasks: Array<Record<string, unknown>>;
      series: { lag: { t: number }; intervals: Array<{ ingestLines: number }>; durations: Array<{ shardId: number; status: string }> };
    }> = [];
    let connected: () => void = () => undefined;
    const isConnected = new Promise<void>((r) => (connected = r));
    let gotTwo: () => void = () => undefined;
    const two = new Promise<void>((r) => (gotTwo = r));
    const req = http.get({ host: url.hostname, port: url.port, path: url.pathname }, (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream');
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.startsWith(': connected\n\n')) connected(); // the server writes this after subscribing
        for (let m; (m = /event: sample\ndata: (.*)\n\n/.exec(text)); text = text.slice(m.index + m[0].length))
          samples.push(JSON.parse(m[1]));
        if (samples.length >= 2) gotTwo();
      });
    });
    req.on('error', () => undefined);
    await isConnected;
    await own.console.sample(); // nothing happened since the last sample
    await own.job.t.client.putLogs({
      project: own.project,
      logstore: 'source',
      hashKey: SHARD_KEY[0],
      logGroup: { logs: [{ time: Math.floor(own.job.clock.now() / 1000), contents: [{ key: 'id', value: 'a6' }] }], logTags: [] },
    });
    own.job.clock.advance(61_000);
    await own.job.scheduler.tick();
    await own.job.scheduler.whenIdle();
    await own.console.sample();
    await two;
    req.destroy();
    assert.deepEqual(Object.keys(samples[0].lag.lag), ['0', '1']);
    assert.deepEqual(
      samples[0].shards.map((x) => x.shardId),
      [0, 1],
    );
    assert.deepEqual(samples[0].tasks, []);
    assert.deepEqual(
      samples[1].tasks.map((t) => [t.shard_id, t.task_status, t.ingest_lines]),
      [[0, 'Success', 1]],
    );
    // what the sample changed in the charts' series, which the page merges without refetching them
    assert.deepEqual(
      samples.map((x) => [x.series.intervals.length, x.series.durations.map((d) => [d.shardId, d.status])]),
      [
        [0, []],
        [1, [[0, 'Success']]],
      ],
    );
    assert.ok(samples[1].series.intervals[0].ingestLines >= 1);
    assert.equal(samples[1].series.lag.t, own.job.clock.now());
  } finally {
    await own.close();
  }
});

test('the console serves the probes too: /readyz follows the job, /healthz the event loop', async () => {
  await c.job.scheduler.tick(); // a heartbeat at the clock's present: the run above advanced it past its last one
  await c.job.scheduler.whenIdle();
  const ready = await get('/readyz');
  assert.deepEqual([ready.status, ready.body.ready], [200, true], JSON.stringify(ready.body));
  const health = await get('/healthz');
  assert.deepEqual([health.status, health.body.healthy], [200, true]);
});

test('tasks without from cover the last hour only (no scan of the whole schedule log per request)', async () => {
  const all = (await get('/api/tasks?from=0')).body.tasks.length;
  assert.ok(all >= 3);
  c.job.clock.advance(2 * 3600_000);
  assert.deepEqual((await get('/api/tasks')).body.tasks, []);
  assert.equal((await get('/api/tasks?from=0')).body.tasks.length, all);
});
