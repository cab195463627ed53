// The pool behind PutLogs bodies: exact-length views, reuse by size class, bounded retention, and
// nothing pooled that the pool did not hand out whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool } from '../../src/loghub/bufferPool.js';

test('views are exactly the asked length and a released buffer is reused by its class', () => {
  const pool = new BufferPool({ minBytes: 1024, maxBytes: 1 << 20 });
  const a = pool.acquire(3000);
  assert.equal(a.length, 3000);
  assert.equal(a.buffer.byteLength, 4096);
  pool.release(a);
  assert.equal(pool.retainedBytes, 4096);
  const b = pool.acquire(2500);
  assert.equal(b.length, 2500);
  assert.equal(b.buffer, a.buffer);
  assert.equal(pool.retainedBytes, 0);
  pool.release(b);
  pool.release(b);
  assert.equal(pool.retainedBytes, 4096, 'a double release keeps one copy');
});

test('small, huge and foreign buffers are never pooled', () => {
  const pool = new BufferPool({ minBytes: 1024, maxBytes: 1 << 20 });
  pool.release(pool.acquire(100));
  pool.release(pool.acquire((1 << 20) + 1));
  pool.release(Buffer.alloc(8192).subarray(1));
  pool.release(Buffer.from(new ArrayBuffer(4096), 1024, 1024));
  assert.equal(pool.retainedBytes, 0);
});

test('retention is bounded per class and in all', () => {
  const pool = new BufferPool({ minBytes: 1024, maxBytes: 1 << 20, perClass: 3, maxRetainedBytes: 3 * 65536 });
  const small = Array.from({ length: 5 }, () => pool.acquire(4096));
  small.forEach((b) => pool.release(b));
  assert.equal(pool.retainedBytes, 3 * 4096, 'per class');
  const big = Array.from({ length: 3 }, () => pool.acquire(65536));
  big.forEach((b) => pool.release(b));
  assert.equal(pool.retainedBytes, 3 * 4096 + 2 * 65536, 'in all: the third 64 KiB buffer would pass the cap');
});
