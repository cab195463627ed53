// Golden bytes captured from the official @alicloud/log SDK (test/fixtures/golden/record.ts):
// our encoder writes the same protobuf bytes, our decoders read them back, and the recorded request
// verifies with our v1 verifier (its Date was signed then, so the skew check is not involved here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  decodeLogGroup,
  decodeLogGroupReference,
  encodeLogGroup,
  parseAuthorization,
  parseRequestTarget,
  verifyV1,
} from '../../src/codec/index.js';

const golden = JSON.parse(readFileSync(new URL('../fixtures/golden/alicloud-log-putlogs.json', import.meta.url), 'utf8')) as {
  input: {
    logs: Array<{ timestamp: number; content: Record<string, string>; timestampNsPart?: number }>;
    tags: Array<Record<string, string>>;
    topic: string;
    source: string;
  };
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyHex: string;
};
const body = Buffer.from(golden.bodyHex, 'hex');
const expected = {
  logs: golden.input.logs.map((l) => ({
    time: l.timestamp,
    contents: Object.entries(l.content).map(([key, value]) => ({ key, value })),
    ...(l.timestampNsPart !== undefined ? { timeNs: l.timestampNsPart } : {}),
  })),
  logTags: golden.input.tags.flatMap((t) => Object.entries(t).map(([key, value]) => ({ key, value }))),
  topic: golden.input.topic,
  source: golden.input.source,
};

test('our encoder writes exactly the bytes @alicloud/log sends', () => {
  assert.equal(Buffer.from(encodeLogGroup(expected)).toString('hex'), golden.bodyHex);
});

test('both decoders read the SDK bytes back', () => {
  assert.deepStrictEqual(decodeLogGroup(body), expected);
  assert.deepStrictEqual(decodeLogGroupReference(body), expected);
});

test('the recorded request verifies byte for byte with our v1 verifier', () => {
  const auth = parseAuthorization(golden.headers.authorization);
  assert.ok(auth && auth.version === 1);
  const { path, query } = parseRequestTarget(golden.url);
  assert.equal(verifyV1({ method: golden.method, path, query, headers: golden.headers }, 'golden-sk', auth.signature), true);
  assert.equal(
    verifyV1({ method: golden.method, path, query, headers: { ...golden.headers, 'x-log-bodyrawsize': '1' } }, 'golden-sk', auth.signature),
    false,
  );
});
