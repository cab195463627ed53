// PutLogs limits and bad bodies get SLS's own codes, on both stores; and the pooled request and
// decompression buffers never leak one request's bytes into another's stored group.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { deflateSync } from 'node:zlib';
import {
  authorizationV1,
  compress,
  CompressType,
  decodeLogGroupList,
  encodeLogGroup,
  md5Hex,
  type LogGroup,
} from '../../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { randomName, startTestHub, STORE_KINDS } from '../helpers/hub.js';

interface RawPut {
  body: Buffer;
  headers?: Record<string, string>;
  /** send with Transfer-Encoding: chunked (no Content-Length, no Content-MD5) */
  chunked?: boolean;
}

/** A signed PutLogs sent by hand, so tests can send what LogClient never would. */
function rawPut(endpoint: string, now: Date, project: string, logstore: string, p: RawPut): Promise<{ status: number; code?: string }> {
  const url = new URL(endpoint);
  const path = `/logstores/${logstore}/shards/lb`;
  const headers: Record<string, string> = {
    date: now.toUTCString(),
    host: `${project}.${url.host}`,
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha1',
    'content-type': 'application/x-protobuf',
    ...(p.chunked ? {} : { 'content-md5': md5Hex(p.body), 'content-length': String(p.body.length) }),
    ...p.headers,
  };
  headers['x-log-bodyrawsize'] ??= String(p.body.length);
  headers.authorization = authorizationV1({ method: 'POST', path, query: [], headers }, DEFAULT_ACCESS_KEY);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, code: text ? (JSON.parse(text) as { errorCode?: string }).errorCode : undefined });
      });
    });
    req.on('error', reject);
    if (p.chunked) for (let i = 0; i < p.body.length; i += 1000) req.write(p.body.subarray(i, i + 1000));
    req.end(p.chunked ? undefined : p.body);
  });
}

function group(logs: number, valueBytes: number, tag: string): LogGroup {
  return {
    topic: tag,
    logTags: [],
    logs: Array.from({ length: logs }, (_, i) => ({
      time: 1_700_000_000 + i,
      contents: [{ key: 'msg', value: `${tag}:${i}:`.padEnd(valueBytes, tag[0]) }],
    })),
  };
}

const LIMITS = { maxBodyBytes: 64 * 1024, maxRawBytes: 256 * 1024, maxLogsPerPut: 100 };

for (const kind of STORE_KINDS) {
  describe(`PutLogs limits (${kind} store)`, () => {
    test('oversized, undecompressable and malformed bodies get SLS codes and store nothing', async () => {
      const t = await startTestHub(kind, { limits: LIMITS });
      try {
        const project = randomName('lim');
        await t.client.createProject({ project });
        await t.client.createLogStore({ project, logstore: 'lim', shardCount: 1 });
        const put = (p: RawPut) => rawPut(t.hub.endpoint, new Date(t.clock.now()), project, 'lim', p);
        const big = Buffer.alloc(LIMITS.maxBodyBytes + 1, 1);
        assert.deepEqual(await put({ body: big }), { status: 413, code: 'PostBodyTooLarge' });
        assert.deepEqual(await put({ body: big, chunked: true }), { status: 413, code: 'PostBodyTooLarge' });
        const raw = Buffer.from(encodeLogGroup(group(10, 30_000, 'r')));
        assert.ok(raw.length > LIMITS.maxRawBytes);
        const lz4 = compress(raw, CompressType.Lz4);
        assert.deepEqual(await put({ body: lz4, headers: { 'x-log-compresstype': 'lz4', 'x-log-bodyrawsize': String(raw.length) } }), {
          status: 413,
          code: 'PostBodyTooLarge',
        });
        // Declares a small raw size but expands past it: a decompression bomb.
        assert.deepEqual(await put({ body: lz4, headers: { 'x-log-compresstype': 'lz4', 'x-log-bodyrawsize': '1000' } }), {
          status: 400,
          code: 'PostBodyUncompressError',
        });
        assert.deepEqual(await put({ body: deflateSync(raw), headers: { 'x-log-compresstype': 'deflate', 'x-log-bodyrawsize': '1000' } }), {
          status: 413,
          code: 'PostBodyTooLarge',
        });
        assert.deepEqual(await put({ body: lz4, headers: { 'x-log-compresstype': 'lz4', 'x-log-bodyrawsize': 'x1' } }), {
          status: 400,
          code: 'InvalidBodyRawSize',
        });
        assert.deepEqual(await put({ body: lz4, headers: { 'x-log-compresstype': 'brotli' } }), {
          status: 400,
          code: 'InvalidCompressType',
        });
        const tooMany = Buffer.from(encodeLogGroup(group(LIMITS.maxLogsPerPut + 1, 1, 'n')));
        assert.deepEqual(await put({ body: tooMany }), { status: 400, code: 'InvalidLogSize' });
        assert.deepEqual(await put({ body: Buffer.from([0x0a, 0x05, 0x08]) }), { status: 400, code: 'PostBodyInvalid' });
        // Field number 0 is invalid protobuf: once stored, aliyun-sdk could no longer read the shard.
        assert.deepEqual(await put({ body: Buffer.from('0000', 'hex') }), { status: 400, code: 'PostBodyInvalid' });
        const zeros = Buffer.alloc(4096);
        assert.deepEqual(
          await put({
            body: compress(zeros, CompressType.Lz4),
            headers: { 'x-log-compresstype': 'lz4', 'x-log-bodyrawsize': String(zeros.length) },
          }),
          { status: 400, code: 'PostBodyInvalid' },
        );
        assert.deepEqual(
          await put({ body: Buffer.from(encodeLogGroup(group(1, 5, 'm'))), headers: { 'content-type': 'application/json' } }),
          { status: 400, code: 'InvalidContentType' },
        );
        const ok = Buffer.from(encodeLogGroup(group(2, 5, 'k')));
        assert.deepEqual(await put({ body: ok, headers: { 'content-md5': md5Hex(Buffer.from('other')) } }), {
          status: 400,
          code: 'InvalidContentMD5',
        });
        // Nothing above was stored; a good chunked body still is.
        assert.deepEqual(await put({ body: ok, chunked: true }), { status: 200, code: undefined });
        const cursor = await t.client.getCursor({ project, logstore: 'lim', shardId: 0, from: 'begin' });
        const r = await t.client.pullLogs({ project, logstore: 'lim', shardId: 0, cursor, count: 100 });
        assert.equal(r.count, 1);
        assert.deepEqual(
          decodeLogGroupList(r.rawBody).map((g) => g.topic),
          ['k'],
        );
      } finally {
        await t.close();
      }
    });

    test('concurrent puts of many sizes read back byte for byte (pooled buffers keep nothing stale)', async () => {
      const t = await startTestHub(kind);
      try {
        const project = randomName('pool');
        await t.client.createProject({ project });
        await t.client.createLogStore({ project, logstore: 'pool', shardCount: 1 });
        // Sizes cross the pool's classes both ways, so a smaller group often lands in a buffer that
        // held a larger one.
        const sizes = [200_000, 70_000, 1_000, 130_000, 66_000, 300_000, 65_600, 90_000, 5, 250_000, 100_000, 64_000];
        const groups = sizes.map((n, i) => Buffer.from(encodeLogGroup(group(4, Math.ceil(n / 4), String.fromCharCode(97 + i)))));
        for (let round = 0; round < 3; round++) {
          await Promise.all(
            groups.map((g, i) =>
              t.client.putLogs({ project, logstore: 'pool', logGroup: g, compressType: i % 2 ? CompressType.Lz4 : CompressType.None }),
            ),
          );
        }
        let cursor = await t.client.getCursor({ project, logstore: 'pool', shardId: 0, from: 'begin' });
        const seen = new Map<string, number>();
        for (;;) {
          const r = await t.client.pullLogs({ project, logstore: 'pool', shardId: 0, cursor, count: 5 });
          if (r.count === 0) break;
          for (const g of decodeLogGroupList(r.rawBody)) {
            const expected = groups[g.topic!.charCodeAt(0) - 97];
            assert.ok(Buffer.from(encodeLogGroup(g)).equals(expected), `group ${g.topic} changed in the store`);
            seen.set(g.topic!, (seen.get(g.topic!) ?? 0) + 1);
          }
          cursor = r.nextCursor;
        }
        assert.equal(seen.size, groups.length);
        for (const n of seen.values()) assert.equal(n, 3);
      } finally {
        await t.close();
      }
    });
  });
}
