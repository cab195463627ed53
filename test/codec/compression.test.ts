import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import fc from '../helpers/fastCheck.js';
import { CodecError, compress, CompressType, decompress, lz4Implementation, parseCompressType } from '../../src/codec/index.js';

test('the native lz4 addon is the active implementation', () => {
  assert.equal(lz4Implementation, 'native');
});

test('lz4 and deflate round trip any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 5000 }), (raw) => {
      for (const t of [CompressType.Lz4, CompressType.Deflate, CompressType.None]) {
        const c = compress(raw, t);
        assert.deepEqual(decompress(c, t, raw.length), Buffer.from(raw));
      }
    }),
    { numRuns: 200 },
  );
});

test('lz4 is a raw block: no frame magic, no size prefix', () => {
  const raw = Buffer.from('abcabcabcabcabcabcabcabcabcabc');
  const c = compress(raw, CompressType.Lz4);
  assert.notEqual(c.readUInt32LE(0), 0x184d2204);
  assert.ok(c.length < raw.length);
});

test('deflate means zlib (RFC 1950), as the SDKs send it', () => {
  const c = compress(Buffer.from('hello'), CompressType.Deflate);
  assert.equal(c[0], 0x78);
  assert.equal(decompress(deflateSync(Buffer.from('x')), CompressType.Deflate, 1).toString(), 'x');
});

test('decompression bombs are refused by declared and by actual size', () => {
  const big = Buffer.alloc(1024 * 1024, 0);
  assert.throws(
    () => decompress(compress(big, CompressType.Lz4), CompressType.Lz4, big.length, 1000),
    (e: unknown) => e instanceof CodecError && e.kind === 'TooLarge',
  );
  assert.throws(
    () => decompress(compress(big, CompressType.Deflate), CompressType.Deflate, undefined, 1000),
    (e: unknown) => e instanceof CodecError && e.kind === 'TooLarge',
  );
});

test('corrupt or mis-sized bodies give CodecError', () => {
  const raw = Buffer.from('the quick brown fox jumps over the lazy dog '.repeat(20));
  const c = compress(raw, CompressType.Lz4);
  assert.throws(() => decompress(c, CompressType.Lz4, raw.length - 1), CodecError);
  assert.throws(() => decompress(c, CompressType.Lz4, undefined), /without x-log-bodyrawsize/);
  assert.throws(() => decompress(Buffer.from([0xff, 0xff, 0xff]), CompressType.Lz4, 100), CodecError);
  assert.throws(() => decompress(Buffer.from('not zlib'), CompressType.Deflate, 10), CodecError);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(4096), (garbage, size) => {
      try {
        decompress(garbage, CompressType.Lz4, size);
      } catch (e) {
        assert.ok(e instanceof CodecError);
      }
    }),
  );
});

test('compress type header parsing', () => {
  assert.equal(parseCompressType(undefined), 'none');
  assert.equal(parseCompressType('LZ4'), 'lz4');
  assert.equal(parseCompressType('gzip'), 'deflate');
  assert.equal(parseCompressType('zstd'), 'zstd');
  assert.throws(() => parseCompressType('snappy'), /x-log-compresstype snappy is unsupported/);
});

test('lz4 blocks the format forbids are refused by both codecs, never decoded from stale bytes', async () => {
  const { decodeLz4Block, jsLz4, nativeLz4 } = await import('../../src/codec/lz4Block.js');
  const cases: Array<[string, string, number]> = [
    // a match offset of 0 (lz4 1.9.2's native decoder copies whatever the output buffer held)
    ['offset 0', '1461000050626262626262', 14],
    ['offset beyond the output', '1461020050626262626262', 14],
    ['block ending in a match', '1461010050', 9],
    ['match reaching into the last 5 bytes', '1f6101000050626262', 23],
    ['literals longer than the input', 'f0ff', 300],
    ['found by npm run fuzz (the JS codec decoded it)', '1f010100ffffffffffc050500101010101', 1496],
  ];
  for (const binding of [nativeLz4, jsLz4]) {
    if (binding === undefined) continue;
    for (const [what, hex, rawSize] of cases) {
      const stale = Buffer.alloc(rawSize, 0x7a);
      assert.throws(() => decodeLz4Block(binding, Buffer.from(hex, 'hex'), stale), CodecError, what);
    }
    const good = compress(Buffer.from('abcabcabcabcabcabcabcabc-tail-literals'), CompressType.Lz4);
    assert.equal(decodeLz4Block(binding, good, Buffer.alloc(38)).toString(), 'abcabcabcabcabcabcabcabc-tail-literals');
  }
});
