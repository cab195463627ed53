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
  compareCursors,
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

/** The rule decodeCursor keeps, written the plain way (Buffer's base64 and a round trip), to hold the hand decoder to. */
function referenceDecode(cursor: string): bigint | 'error' {
  if (cursor.length === 0 || cursor.length > 40 || cursor.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) return 'error';
  const bytes = Buffer.from(cursor, 'base64');
  const text = bytes.toString('latin1');
  if (!/^(0|-?[1-9][0-9]{0,18})$/.test(text) || bytes.toString('base64') !== cursor) return 'error';
  const v = BigInt(text);
  return v > (1n << 63n) - 1n || v < -(1n << 63n) ? 'error' : v;
}

const decodeOrError = (c: string) => {
  try {
    return decodeCursor(c);
  } catch (e) {
    assert.ok(e instanceof CodecError);
    return 'error' as const;
  }
};

test('decodeCursor accepts exactly what the plain base64 round trip accepts, with the same value', () => {
  const base64Chars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-!'.split(''));
  const nearCursor = fc.oneof(
    fc.string({ unit: base64Chars, maxLength: 44 }),
    fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }).map((v) => Buffer.from(String(v)).toString('base64')),
    // one character changed in a valid cursor: low bits, padding, alphabet edges
    fc.tuple(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.nat(), base64Chars).map(([v, at, ch]) => {
      const c = encodeCursor(v);
      const i = at % c.length;
      return c.slice(0, i) + ch + c.slice(i + 1);
    }),
  );
  fc.assert(
    fc.property(nearCursor, (c) => assert.equal(decodeOrError(c), referenceDecode(c))),
    { numRuns: 5000 },
  );
});

test('compareCursors orders cursors as their int64 values', () => {
  const int64 = fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.bigInt({ min: -1000n, max: 1000n }));
  fc.assert(
    fc.property(int64, int64, (x, y) => {
      assert.equal(compareCursors(encodeCursor(x), encodeCursor(y)), x < y ? -1 : x > y ? 1 : 0);
    }),
    { numRuns: 2000 },
  );
  assert.throws(() => compareCursors('!!!!', '!!!!'), CodecError);
  assert.throws(() => compareCursors(encodeCursor(1n), 'MTB='), CodecError);
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
