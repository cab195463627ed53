import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from '../helpers/fastCheck.js';
import {
  addToCursor,
  CodecError,
  decodeCursor,
  encodeCursor,
  evenRanges,
  HASH_KEY_MAX,
  hashKeyOf,
  midpoint,
  rangeContains,
  bigIntToHashKey,
} from '../../src/codec/index.js';

test('cursor = base64 of decimal int64 (SLS documentation examples)', () => {
  assert.equal(decodeCursor('MTUwNTM5MDI3NTY1ODcwNzU2Ng=='), 1505390275658707566n);
  assert.equal(encodeCursor(1524155379373908496n), 'MTUyNDE1NTM3OTM3MzkwODQ5Ng==');
  assert.equal(addToCursor('MTU1Njk2ODE0MDk3MzQyMTkwMQ==', 1), 'MTU1Njk2ODE0MDk3MzQyMTkwMg==');
});

test('cursor round trip over the whole int64 range', () => {
  fc.assert(fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => assert.equal(decodeCursor(encodeCursor(v)), v)));
});

test('garbage cursors are rejected', () => {
  for (const bad of [
    '',
    'abc',
    '!!!!',
    Buffer.from('12x').toString('base64'),
    Buffer.from('99999999999999999999').toString('base64'),
    'MTI',
    '-MTI=',
    'LTA=',
    'MTB=',
    Buffer.from('007').toString('base64'),
  ]) {
    assert.throws(() => decodeCursor(bad), CodecError, bad);
  }
});

test('even ranges tile the key space and every key falls in exactly one', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (n, k) => {
      const ranges = evenRanges(n);
      assert.equal(ranges[0].inclusiveBeginKey, '00000000000000000000000000000000');
      assert.equal(ranges[n - 1].exclusiveEndKey, HASH_KEY_MAX);
      for (let i = 1; i < n; i++) assert.equal(ranges[i].inclusiveBeginKey, ranges[i - 1].exclusiveEndKey);
      const key = bigIntToHashKey(k);
      assert.equal(ranges.filter((r) => rangeContains(r, key)).length, 1);
    }),
  );
});

test('midpoint splits a range into two non-empty halves', () => {
  const [a, b] = evenRanges(2);
  assert.equal(a.exclusiveEndKey, '80000000000000000000000000000000');
  assert.equal(midpoint(a), '40000000000000000000000000000000');
  assert.equal(midpoint(b), 'c0000000000000000000000000000000');
  assert.match(hashKeyOf('user-1'), /^[0-9a-f]{32}$/);
});
