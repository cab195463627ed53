// readRange must not end a range quietly: a page with no groups after pages were read means the rest
// of the range was not read, and a handler that stopped there would report it all processed.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { LogClient } from '../../src/client/index.js';
import { decodeCursor, encodeCursor, encodeLogGroupList } from '../../src/codec/index.js';
import { SlsTransportError } from '../../src/errors/index.js';
import { FIRST_PULL_GROUPS, readRange, type GroupSizeMemory } from '../../src/event/index.js';
import { startRecorder } from '../helpers/recorder.js';

const begin = encodeCursor(100n);
const end = encodeCursor(105n);
const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const noRetry = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };

/** A PullLogs server whose shard holds 2 groups from cursor 100, then answers empty pages (as if the rest were gone). */
async function shortShard() {
  const group = { logs: [{ time: 1700000000, contents: [{ key: 'k', value: 'v' }] }], logTags: [] };
  return startRecorder((r) => {
    const cursor = new URL(r.url, 'http://x').searchParams.get('cursor')!;
    if (cursor === begin) {
      const body = Buffer.from(encodeLogGroupList([group, group] as never));
      return { headers: { 'x-log-count': '2', 'x-log-cursor': encodeCursor(102n), 'x-log-bodyrawsize': String(body.length) }, body };
    }
    return { headers: { 'x-log-count': '0', 'x-log-cursor': cursor, 'x-log-bodyrawsize': '0' } };
  });
}

/** readRange over [from, to) of shard 3 against shortShard(); both are closed when the test ends, passed or not. */
async function readShort(t: TestContext, from: string, to: string) {
  const srv = await shortShard();
  const client = new LogClient({ endpoint: `http://127.0.0.1:${srv.port}`, credentials: creds, retry: noRetry });
  t.after(() => {
    client.close();
    return srv.close();
  });
  const pages = readRange({
    client,
    project: 'p',
    logstore: 'ls',
    shardId: 3,
    beginCursor: from,
    endCursor: to,
    batchSize: 100,
    retry: noRetry,
  });
  return { pages, requests: srv.requests };
}

test('an empty page before the end cursor is an error naming where reading stopped, after the pages read so far', async (t) => {
  const { pages, requests } = await readShort(t, begin, end);
  const first = await pages.next();
  assert.equal(first.done, false);
  assert.equal(first.value && 'cursor' in first.value ? first.value.result.count : -1, 2);
  await assert.rejects(pages.next(), (e: unknown) => {
    assert.ok(e instanceof SlsTransportError);
    assert.equal(e.code, 'BadResponse');
    assert.equal(e.retriable, false);
    assert.match(e.message, new RegExp(`shard 3 of p/ls returned no log groups at cursor ${encodeCursor(102n)}`));
    assert.match(e.message, new RegExp(`end cursor ${end}`));
    return true;
  });
  assert.equal(requests.length, 2);
});

test('a range that is read to its end cursor returns that cursor', async (t) => {
  const upTo = encodeCursor(102n);
  const { pages } = await readShort(t, begin, upTo);
  let groups = 0;
  let next = await pages.next();
  for (; !next.done; next = await pages.next()) groups += next.value.result.count;
  assert.equal(groups, 2);
  assert.equal(next.value, upTo);
});

test('an empty first page is an empty trigger (the data under the range expired): no pages, the begin cursor', async (t) => {
  const from = encodeCursor(102n);
  const { pages, requests } = await readShort(t, from, end);
  assert.deepEqual(await pages.next(), { done: true, value: from });
  assert.equal(requests.length, 1);
});

/** A PullLogs server whose shard holds 60 groups of one size from cursor 100: each answer holds the count asked for. */
async function evenShard() {
  const group = { logs: [{ time: 1700000000, contents: [{ key: 'k', value: 'v'.repeat(980) }] }], logTags: [] };
  const groupBytes = Buffer.from(encodeLogGroupList([group] as never)).length;
  const srv = await startRecorder((r) => {
    const q = new URL(r.url, 'http://x').searchParams;
    const at = decodeCursor(q.get('cursor')!);
    const n = Math.min(Number(q.get('count')), Number(160n - at));
    const body = Buffer.from(encodeLogGroupList(Array.from({ length: n }, () => group) as never));
    const headers = { 'x-log-count': String(n), 'x-log-cursor': encodeCursor(at + BigInt(n)), 'x-log-bodyrawsize': String(body.length) };
    return { headers, body };
  });
  return { srv, groupBytes };
}

test('the first pull asks for FIRST_PULL_GROUPS groups until a group was seen, then pageBytes sizes every pull', async (t) => {
  const { srv, groupBytes } = await evenShard();
  const client = new LogClient({ endpoint: `http://127.0.0.1:${srv.port}`, credentials: creds, retry: noRetry });
  t.after(() => {
    client.close();
    return srv.close();
  });
  const counts = () => srv.requests.splice(0).map((r) => Number(new URL(r.url, 'http://x').searchParams.get('count')));
  const read = async (o: { pageBytes?: number; groupSize?: GroupSizeMemory }) => {
    const pages = readRange({
      client,
      project: 'p',
      logstore: 'ls',
      shardId: 0,
      beginCursor: encodeCursor(100n),
      endCursor: encodeCursor(160n),
      batchSize: 100,
      retry: noRetry,
      ...o,
    });
    let groups = 0;
    for (let next = await pages.next(); !next.done; next = await pages.next()) groups += next.value.result.count;
    assert.equal(groups, 60);
    return counts();
  };
  const memory: GroupSizeMemory = {};
  // pageBytes of 20 groups: 8 to learn their size, then 20 a pull (the last 12 asked as 20)
  assert.deepEqual(await read({ pageBytes: 20 * groupBytes, groupSize: memory }), [FIRST_PULL_GROUPS, 20, 20, 20]);
  assert.equal(memory.bytesPerGroup, groupBytes, 'the size seen is kept');
  // the next range (a warm handler's next invocation) starts at the right size
  assert.deepEqual(await read({ pageBytes: 20 * groupBytes, groupSize: memory }), [20, 20, 20]);
  // without pageBytes every pull asks for batchSize, the first too
  assert.deepEqual(await read({}), [100]);
});
