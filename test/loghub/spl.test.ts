// SPL consumption on the embedded LogHub (docs/spl.md): a PullLogs with query=<SPL> answers only the
// rows and fields it keeps, with the before/after counts SLS sends, through our client and in the
// exact wire shapes of the official Python and Go SDKs; an empty page still moves the cursor; a bad
// statement is a 400 naming where; a consumer group reads filtered data to the end through
// createHandler({spl}).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { authorizationV1 } from '../../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { SlsServiceError } from '../../src/errors/index.js';
import { createHandler, type HandlerResult } from '../../src/runtime/index.js';
import type { FcHandler } from '../../src/trigger/index.js';
import { startJob } from '../helpers/job.js';
import { randomName, startTestHub } from '../helpers/hub.js';

/** A signed PullLogs sent by hand, so it can carry what LogClient does not send. */
function rawPull(
  endpoint: string,
  now: Date,
  project: string,
  query: Array<[string, string]>,
): Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }> {
  const url = new URL(endpoint);
  const path = '/logstores/src/shards/0';
  const headers: Record<string, string> = {
    date: now.toUTCString(),
    host: `${project}.${url.host}`,
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha1',
  };
  headers.authorization = authorizationV1({ method: 'GET', path, query, headers }, DEFAULT_ACCESS_KEY);
  const search = new URLSearchParams(query).toString();
  return new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path: `${path}?${search}`, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        // an error is JSON; a page of logs is protobuf
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, headers: res.headers, body: status === 200 ? undefined : JSON.parse(Buffer.concat(chunks).toString()) });
        });
      })
      .on('error', reject);
  });
}

async function splHub() {
  const t = await startTestHub('memory');
  const project = randomName('spl');
  await t.client.createProject({ project });
  await t.client.createLogStore({ project, logstore: 'src', shardCount: 1 });
  // 5 groups of 4 logs: status 500 on every 5th log, so groups 1 and 3 hold none
  for (let g = 0; g < 5; g++)
    await t.client.putLogs({
      project,
      logstore: 'src',
      logGroup: {
        topic: `t${g}`,
        logTags: [{ key: 'g', value: String(g) }],
        logs: Array.from({ length: 4 }, (_, i) => {
          const n = g * 4 + i;
          return {
            time: 1000 + n,
            contents: [
              { key: 'n', value: String(n) },
              { key: 'status', value: n % 5 === 0 ? '500' : '200' },
            ],
          };
        }),
      },
    });
  const at = { project, logstore: 'src', shardId: 0 };
  const begin = await t.client.getCursor({ ...at, from: 'begin' });
  const end = await t.client.getCursor({ ...at, from: 'end' });
  return { t, project, at, begin, end };
}

test('PullLogs with query: only the kept rows, per group with its metadata, and the counts before and after', async () => {
  const { t, at, begin, end } = await splHub();
  try {
    const r = await t.client.pullLogs({ ...at, cursor: begin, count: 10, query: "* | where status = '500' | project n" });
    assert.deepEqual(
      r.groups.map((g) => [g.topic, g.logTags, g.toLogGroup().logs.map((l) => [l.time, l.contents])]),
      [
        ['t0', [{ key: 'g', value: '0' }], [[1000, [{ key: 'n', value: '0' }]]]],
        ['t1', [{ key: 'g', value: '1' }], [[1005, [{ key: 'n', value: '5' }]]]],
        ['t2', [{ key: 'g', value: '2' }], [[1010, [{ key: 'n', value: '10' }]]]],
        ['t3', [{ key: 'g', value: '3' }], [[1015, [{ key: 'n', value: '15' }]]]],
      ],
    );
    assert.equal(r.nextCursor, end);
    assert.equal(r.readLastCursor, undefined, 'no per-group cursor with a query');
    assert.deepEqual(
      { ...r.spl, rawBytes: r.spl!.rawBytes > 0 },
      { rawGroups: 5, rawBytes: true, rawLines: 20, resultLines: 4, failedLines: 0 },
    );
    for (const acceptEncoding of ['deflate', 'none'] as const) {
      const again = await t.client.pullLogs({ ...at, cursor: begin, count: 10, query: "* | where n = '19'", acceptEncoding });
      assert.deepEqual(
        again.groups.map((g) => g.value(0, 0)),
        ['19'],
        acceptEncoding,
      );
    }
  } finally {
    await t.close();
  }
});

test('a page that keeps nothing still moves the cursor; a consumer reads to the end by the counts before the query', async () => {
  const { t, at, begin, end } = await splHub();
  try {
    const second = await t.client.pullLogs({ ...at, cursor: begin, count: 1 });
    const empty = await t.client.pullLogs({ ...at, cursor: second.nextCursor, count: 1, query: "* | where n = '0'" });
    assert.deepEqual([empty.count, empty.groups.length, empty.spl?.rawGroups, empty.spl?.resultLines], [0, 0, 1, 0]);
    assert.notEqual(empty.nextCursor, second.nextCursor);
    let cursor = begin;
    const kept: string[] = [];
    for (let pulls = 0; cursor !== end; pulls++) {
      assert.ok(pulls < 10);
      const page = await t.client.pullLogs({ ...at, cursor, count: 2, query: '* | where cast(n as bigint) > 12' });
      for (const g of page.groups) for (let i = 0; i < g.logCount; i++) kept.push(g.value(i, 0));
      cursor = page.nextCursor;
    }
    assert.deepEqual(kept, ['13', '14', '15', '16', '17', '18', '19']);
  } finally {
    await t.close();
  }
});

test("the official SDKs' wire shapes (Python: type=log…pullMode…query; Go: type=logs…query…pullMode) get the SPL answer and its headers", async () => {
  const { t, project, begin } = await splHub();
  try {
    const now = new Date(t.clock.now());
    const spl = "* | where status = '500'";
    const python: Array<[string, string]> = [
      ['type', 'log'],
      ['cursor', begin],
      ['count', '1000'],
      ['pullMode', 'scan_on_stream'],
      ['query', spl],
    ];
    const go: Array<[string, string]> = [
      ['type', 'logs'],
      ['cursor', begin],
      ['count', '1000'],
      ['query', spl],
      ['pullMode', 'scan_on_stream'],
    ];
    for (const [name, q] of [
      ['python', python],
      ['go', go],
    ] as const) {
      const r = await rawPull(t.hub.endpoint, now, project, q);
      assert.equal(r.status, 200, name);
      assert.deepEqual(
        ['x-log-count', 'x-log-rawdatacount', 'x-log-rawdatalines', 'x-log-resultlines', 'x-log-failedlines'].map((h) => r.headers[h]),
        ['4', '5', '20', '4', '0'],
        name,
      );
      assert.ok(Number(r.headers['x-log-rawdatasize']) > 0);
      assert.equal(r.headers['x-log-read-last-cursor'], undefined);
    }
  } finally {
    await t.close();
  }
});

test('a bad statement is a 400 ParameterInvalid naming the reason and where; a processor is refused naming itself', async () => {
  const { t, project, begin } = await splHub();
  try {
    const now = new Date(t.clock.now());
    const base: Array<[string, string]> = [
      ['type', 'log'],
      ['cursor', begin],
      ['count', '10'],
    ];
    const bad = await rawPull(t.hub.endpoint, now, project, [
      ...base,
      ['query', "* | where status = '500' | sort n"],
      ['pullMode', 'scan_on_stream'],
    ]);
    assert.deepEqual([bad.status, bad.body.errorCode], [400, 'ParameterInvalid']);
    assert.match(bad.body.errorMessage, /^SPL: unsupported instruction 'sort' .* at line 1, column 28$/);
    const mode = await rawPull(t.hub.endpoint, now, project, [...base, ['query', '* | where true'], ['pullMode', 'other']]);
    assert.match(mode.body.errorMessage, /pullMode "other" is not supported/);
    const processor = await rawPull(t.hub.endpoint, now, project, [...base, ['processor', 'my-processor']]);
    assert.equal(processor.status, 400);
    assert.match(processor.body.errorMessage, /^processor \(a stored consume processor\) is not supported by the embedded LogHub/);
    await assert.rejects(
      t.client.pullLogs({ project, logstore: 'src', shardId: 0, cursor: begin, query: '* | where (' }),
      (e: unknown) => e instanceof SlsServiceError && e.code === 'ParameterInvalid' && /expected an expression/.test(e.message),
    );
  } finally {
    await t.close();
  }
});

test('a consumer group through filtered data: createHandler({spl}) sees only the matches, counts them, and the checkpoint reaches the end', async () => {
  const seen: string[] = [];
  const results: HandlerResult[] = [];
  const handler = createHandler(
    (batch) => {
      for (const g of batch.groups) for (let i = 0; i < g.logCount; i++) seen.push(g.value(i, 0));
      return true;
    },
    { batchSize: 2, credentials: DEFAULT_ACCESS_KEY, spl: "* | where status = '500' | project id" },
  );
  const job = await startJob({
    shards: 1,
    handler: (async (event: Buffer, ctx: Parameters<FcHandler>[1]) => {
      const r = await handler(JSON.parse(event.toString()), ctx);
      results.push(r);
      return r;
    }) as FcHandler,
  });
  try {
    // 10 groups of 3 logs; status 500 on every 5th
    for (let g = 0; g < 10; g++)
      await job.t.client.putLogs({
        project: job.project,
        logstore: 'source',
        logGroup: {
          logTags: [],
          logs: [0, 1, 2].map((i) => {
            const n = g * 3 + i;
            return {
              time: 1,
              contents: [
                { key: 'id', value: `id${n}` },
                { key: 'status', value: n % 5 === 0 ? '500' : '200' },
              ],
            };
          }),
        },
      });
    await job.runUntil(() => results.length > 0);
    const end = await job.t.client.getCursor({ project: job.project, logstore: 'source', shardId: 0, from: 'end' });
    const [cp] = await job.t.client.getCheckpoint({ project: job.project, logstore: 'source', consumerGroup: job.config.jobName });
    assert.equal(cp.checkpoint, end);
    assert.deepEqual(seen, ['id0', 'id5', 'id10', 'id15', 'id20', 'id25']);
    assert.deepEqual([results[0].ingestLines, results[0].spl], [6, { scannedLines: 30, matchedLines: 6, failedLines: 0 }]);
    assert.ok(results[0].pulls >= 5, 'batchSize 2 over 10 groups: pages that keep nothing still move the range along');
  } finally {
    await job.close();
  }
});
