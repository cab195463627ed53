import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLogGroup, decompress, CompressType, verifyV1, parseAuthorization, parseRequestTarget } from '../../src/codec/index.js';
import { LogClient } from '../../src/client/index.js';
import { SlsServiceError, SlsTransportError, isRetriable } from '../../src/errors/index.js';
import { startRecorder } from '../helpers/recorder.js';

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const noSleep = { sleep: async () => undefined };

test('PutLogs: lz4 body, raw size, route path, project in Host with port, signed', async () => {
  const rec = await startRecorder();
  const c = new LogClient({ endpoint: `http://127.0.0.1:${rec.port}`, credentials: creds });
  const group = { logs: [{ time: 1700000000, contents: [{ key: 'a', value: 'b'.repeat(100) }] }], logTags: [], topic: 't' };
  await c.putLogs({ project: 'p1', logstore: 'ls', logGroup: group, hashKey: 'ABCDEF00000000000000000000000000' });
  const r = rec.requests[0];
  assert.equal(r.headers.host, `p1.127.0.0.1:${rec.port}`);
  assert.equal(r.url, '/logstores/ls/shards/route?key=abcdef00000000000000000000000000');
  assert.equal(r.headers['x-log-compresstype'], 'lz4');
  const raw = decompress(r.body, CompressType.Lz4, Number(r.headers['x-log-bodyrawsize']));
  assert.deepEqual(decodeLogGroup(raw), group);
  const auth = parseAuthorization(r.headers.authorization as string);
  assert.ok(auth && auth.version === 1);
  const { path, query } = parseRequestTarget(r.url);
  assert.ok(verifyV1({ method: 'POST', path, query, headers: r.headers as Record<string, string> }, 'sk', auth.signature));
  c.close();
  await rec.close();
});

test('errors map through the table; only retriable ones are retried', async () => {
  let calls = 0;
  const rec = await startRecorder((r) => {
    calls++;
    if (r.url.includes('shards/0'))
      return { status: 400, headers: { 'content-type': 'application/json' }, body: '{"errorCode":"InvalidCursor","errorMessage":"bad"}' };
    if (calls < 3)
      return {
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: '{"errorCode":"ReadQuotaExceed","errorMessage":"slow down"}',
      };
    return { headers: { 'content-type': 'application/json' }, body: '{"cursor":"MTA="}' };
  });
  const c = new LogClient({ endpoint: `http://127.0.0.1:${rec.port}`, credentials: creds, retry: noSleep });
  await assert.rejects(c.getCursor({ project: 'p', logstore: 'l', shardId: 0, from: 'begin' }), (e: unknown) => {
    assert.ok(e instanceof SlsServiceError);
    assert.equal(e.code, 'InvalidCursor');
    assert.equal(e.requestId, 'REC');
    assert.equal(e.httpStatus, 400);
    assert.equal(isRetriable(e), false);
    return true;
  });
  assert.equal(calls, 1);
  assert.equal(await c.getCursor({ project: 'p', logstore: 'l', shardId: 1, from: 'end' }), 'MTA=');
  assert.equal(calls, 3);
  c.close();
  await rec.close();
});

test('a refused connection is a retriable transport error; a hung server times out', async () => {
  const rec = await startRecorder();
  const port = rec.port;
  await rec.close();
  const c = new LogClient({ endpoint: `http://127.0.0.1:${port}`, credentials: creds, retry: { retries: 2, ...noSleep } });
  await assert.rejects(
    c.listShards({ project: 'p', logstore: 'l' }),
    (e: unknown) => e instanceof SlsTransportError && e.code === 'ConnectionError' && e.retriable,
  );
  c.close();
  const net = await import('node:net');
  const hang = net.createServer(() => undefined);
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  const hp = (hang.address() as { port: number }).port;
  const c2 = new LogClient({ endpoint: `http://127.0.0.1:${hp}`, credentials: creds, timeoutMs: 50, retry: { retries: 0 } });
  await assert.rejects(
    c2.listShards({ project: 'p', logstore: 'l' }),
    (e: unknown) => e instanceof SlsTransportError && e.code === 'Timeout',
  );
  c2.close();
  hang.close();
});

test('argument errors name the bad value', () => {
  const c = new LogClient({ endpoint: 'http://127.0.0.1:1', credentials: creds });
  assert.throws(() => c.pullLogs({ project: 'p', logstore: 'l', shardId: 0, cursor: 'MA==', count: 0 }), /count must be 1..1000, got 0/);
  assert.throws(() => new LogClient({ endpoint: 'ftp://x', credentials: creds }), /scheme must be http or https/);
  c.close();
});
