// HTTP/1.1 pipelining in the client's own transport (src/client/wire/connection.ts): GETs written
// behind each other on a busy connection, answers read back in order to the right callers, nothing
// lost when the server closes with exchanges unanswered, and never a POST in a pipeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type net from 'node:net';
import { LogClient } from '../../src/client/index.js';
import { ResponseParser } from '../../src/client/wire/responseParser.js';
import { SlsArgumentError } from '../../src/errors/index.js';
import { closeAfter, cursorAnswer, rawServer, type RawRequest } from '../helpers/rawHttp.js';
import { startTestHub } from '../helpers/hub.js';
import fc from '../helpers/fastCheck.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const noRetry = { retries: 0 };
const shardOf = (head: string) => Number(/shards\/(\d+)/.exec(head)?.[1]);
const cursorOf = (c: LogClient, shardId: number) => c.getCursor({ project: 'p', logstore: 'ls', shardId, from: 'end' });
const heartbeat = (c: LogClient) => c.heartbeat({ project: 'p', logstore: 'ls', consumerGroup: 'g', consumer: 'a', shards: [] });

/** Counts, per connection, requests received and not yet answered. */
function outstandingCounter() {
  const open = new Map<number, number>();
  let max = 0;
  return {
    arrived(req: RawRequest) {
      const n = (open.get(req.connection) ?? 0) + 1;
      open.set(req.connection, n);
      max = Math.max(max, n);
      return n;
    },
    answered(req: RawRequest) {
      open.set(req.connection, open.get(req.connection)! - 1);
    },
    get max() {
      return max;
    },
  };
}

test('parser: bytes after a complete answer are kept as the start of the next one', () => {
  const two = Buffer.from(cursorAnswer('first') + cursorAnswer('second'));
  const p = new ResponseParser('GET');
  assert.equal(JSON.parse(p.feed(two)!.body.toString()).cursor, 'first');
  const next = new ResponseParser('GET');
  assert.equal(JSON.parse(next.feed(p.rest)!.body.toString()).cursor, 'second');
  assert.equal(next.rest.length, 0);
});

test('pipelined GETs: up to `pipelining` on one connection, answers (coalesced, split anywhere) reach their own callers', async (t) => {
  const counter = outstandingCounter();
  let answers: { req: RawRequest; text: string }[] = [];
  const srv = await rawServer((req, s) => {
    counter.arrived(req);
    if (answers.length === 0) setImmediate(() => flush(s));
    answers.push({ req, text: cursorAnswer(`c${shardOf(req.head)}`) });
  });
  // every answer held so far leaves at once, cut 7 bytes into the first: the parser meets both seams
  const flush = (s: net.Socket) => {
    const bytes = answers.map((a) => a.text).join('');
    for (const a of answers) counter.answered(a.req);
    answers = [];
    s.write(bytes.slice(0, 7));
    s.write(bytes.slice(7));
  };
  const c = new LogClient({ endpoint: srv.endpoint, credentials: creds, maxSockets: 1, pipelining: 4 });
  closeAfter(t, c, srv);
  const got = await Promise.all(Array.from({ length: 30 }, (_, i) => cursorOf(c, i)));
  assert.deepEqual(
    got,
    Array.from({ length: 30 }, (_, i) => `c${i}`),
  );
  assert.equal(srv.connections(), 1);
  assert.ok(counter.max >= 2, `pipelined: ${counter.max} at once`);
  assert.ok(counter.max <= 4, `at most 4 at once, saw ${counter.max}`);
});

test('a server that closes with pipelined GETs unanswered: each is sent again on a new connection and answered', async (t) => {
  for (const how of ['destroy', 'connection: close'] as const) {
    const srv = await rawServer((req, s) => {
      // connection 0 answers its first two requests; at the third it closes, the rest unanswered
      if (req.connection === 0 && req.index === 2) {
        return how === 'destroy' ? s.destroy() : void s.end(cursorAnswer(`c${shardOf(req.head)}`, 'connection: close\r\n'));
      }
      if (req.connection === 0 && req.index > 2) return;
      // answers in the order asked (as HTTP/1.1 requires): at once on connection 0, a turn later on the next
      if (req.connection === 0) return void s.write(cursorAnswer(`c${shardOf(req.head)}`));
      setImmediate(() => s.write(cursorAnswer(`c${shardOf(req.head)}`)));
    });
    const c = new LogClient({ endpoint: srv.endpoint, credentials: creds, retry: noRetry, maxSockets: 1, pipelining: 4 });
    closeAfter(t, c, srv);
    const got = await Promise.all(Array.from({ length: 12 }, (_, i) => cursorOf(c, i)));
    assert.deepEqual(
      got,
      Array.from({ length: 12 }, (_, i) => `c${i}`),
      how,
    );
    assert.equal(srv.connections(), 2, how);
  }
});

test('a silent server: the exchange at the head times out, those pipelined behind it are sent again on a new connection', async (t) => {
  const srv = await rawServer((req, s) => {
    // connection 0 answers its first request, then nothing: the pipelined ones wait behind a silent head
    if (req.connection === 0 && req.index > 0) return;
    s.write(cursorAnswer(`c${shardOf(req.head)}`));
  });
  const c = new LogClient({ endpoint: srv.endpoint, credentials: creds, retry: noRetry, timeoutMs: 300, maxSockets: 1, pipelining: 4 });
  closeAfter(t, c, srv);
  assert.equal(await cursorOf(c, 0), 'c0');
  const [head, ...behind] = await Promise.all([1, 2, 3].map((i) => cursorOf(c, i).catch((e: Error & { code?: string }) => e.code)));
  assert.equal(head, 'Timeout');
  assert.deepEqual(behind, ['c2', 'c3']);
  assert.equal(srv.connections(), 2);
});

test('a POST is never pipelined: nothing is written behind it, and it is not written behind a GET', async (t) => {
  const counter = outstandingCounter();
  const mixed: string[] = [];
  const open = new Map<number, string[]>();
  const srv = await rawServer((req, s) => {
    const method = req.head.slice(0, req.head.indexOf(' '));
    const before = open.get(req.connection) ?? [];
    if (before.length > 0 && (method === 'POST' || before.includes('POST'))) mixed.push(`${method} behind ${before.join(',')}`);
    open.set(req.connection, [...before, method]);
    counter.arrived(req);
    setImmediate(() => {
      open.get(req.connection)!.shift();
      counter.answered(req);
      s.write(method === 'GET' ? cursorAnswer(`c${shardOf(req.head)}`) : 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]');
    });
  });
  const c = new LogClient({ endpoint: srv.endpoint, credentials: creds, maxSockets: 2, pipelining: 8 });
  closeAfter(t, c, srv);
  const calls = Array.from({ length: 40 }, (_, i) => (i % 5 === 2 ? heartbeat(c).then(() => 'hb') : cursorOf(c, i)));
  const got = await Promise.all(calls);
  assert.deepEqual(
    got,
    Array.from({ length: 40 }, (_, i) => (i % 5 === 2 ? 'hb' : `c${i}`)),
  );
  assert.deepEqual(mixed, []);
  assert.ok(counter.max >= 2, `GETs were pipelined: ${counter.max} at once`);
});

test('against the embedded LogHub, pipelined GetCursor and PullLogs answer exactly what one-at-a-time does', async (t) => {
  const h = await startTestHub('memory');
  t.after(() => h.close());
  const at = { project: 'pipe', logstore: 'src' };
  await h.client.createProject({ project: 'pipe' });
  await h.client.createLogStore({ ...at, shardCount: 8 });
  for (let n = 0; n < 40; n++) {
    const logs = Array.from({ length: 1 + (n % 7) }, (_, i) => ({
      time: 1_700_000_000 + n,
      contents: [{ key: 'id', value: `${n}-${i}` }],
    }));
    await h.client.putLogs({ ...at, logGroup: { logs, logTags: [] } });
  }
  const readAll = async (c: LogClient) =>
    Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const shardId = i % 8;
        const begin = await c.getCursor({ ...at, shardId, from: 'begin' });
        const r = await c.pullLogs({ ...at, shardId, cursor: begin, count: 100 });
        return { begin, next: r.nextCursor, groups: r.groups.map((g) => g.toLogGroup()) };
      }),
    );
  const piped = new LogClient({
    endpoint: h.hub.endpoint,
    credentials: DEFAULT_ACCESS_KEY,
    now: () => new Date(h.clock.now()),
    maxSockets: 2,
    pipelining: 16,
  });
  t.after(() => piped.close());
  const expected = await readAll(h.client);
  assert.deepEqual(await readAll(piped), expected);
  const total = expected.slice(0, 8).reduce((n, r) => n + r.groups.reduce((m, g) => m + g.logs.length, 0), 0);
  assert.equal(total, 155); // 40 groups of 1..7 logs, every shard read once in the first 8
});

test('maxSockets and pipelining must be whole numbers of at least 1, named when not', () => {
  for (const [field, value] of [
    ['pipelining', 0],
    ['pipelining', 1.5],
    ['maxSockets', 0],
  ] as const) {
    assert.throws(
      () => new LogClient({ endpoint: 'http://127.0.0.1:1', credentials: creds, [field]: value }),
      (e: unknown) => e instanceof SlsArgumentError && e.message.includes(field) && e.message.includes(String(value)),
    );
  }
});

/** What a scripted server does with the n-th request on a connection (in order: answers never overtake). */
const actionArb = fc.constantFrom('answer', 'later', 'close', 'closeAfter');

test('property: pipelined GETs against a server that answers late, closes, or closes after answering: each caller gets its own answer or a retriable error', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(actionArb, { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 2, max: 6 }),
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      async (script, maxSockets, pipelining, cut, posts) => {
        const chains = new Map<number, Promise<void>>();
        const srv = await rawServer((req, s) => {
          // connections after the scripted first few behave; the script plays on each of the first three
          const action = req.connection < 3 ? (script[req.index % script.length] ?? 'answer') : 'answer';
          const reply = req.head.startsWith('GET')
            ? cursorAnswer(`c${shardOf(req.head)}`)
            : 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]';
          const step = async () => {
            if (s.destroyed) return;
            if (action === 'later') await new Promise((r) => setImmediate(r));
            if (action === 'close') return void s.destroy();
            const bytes = action === 'closeAfter' ? reply.replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n') : reply;
            s.write(bytes.slice(0, cut));
            s.write(bytes.slice(cut));
            if (action === 'closeAfter') s.end();
          };
          chains.set(req.connection, (chains.get(req.connection) ?? Promise.resolve()).then(step));
        });
        const c = new LogClient({ endpoint: srv.endpoint, credentials: creds, retry: noRetry, maxSockets, pipelining });
        try {
          const calls = posts.map((post, i) =>
            (post ? heartbeat(c).then(() => 'hb') : cursorOf(c, i)).then(
              (v) => ({ i, post, v }),
              (e: { code?: string; retriable?: boolean }) => ({ i, post, v: `error ${e.code} ${e.retriable}` }),
            ),
          );
          for (const { i, post, v } of await Promise.all(calls)) {
            const own = post ? 'hb' : `c${i}`;
            assert.ok(v === own || v === 'error ConnectionError true', `call ${i}: ${v}`);
          }
        } finally {
          c.close();
          await srv.close();
        }
      },
    ),
    { numRuns: 60 },
  );
});
