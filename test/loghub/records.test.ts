// Stored records (raw frames and lz4 records as clients sent them) read back as exactly the
// LogGroupList of their groups, for any mix and any read window, through the real file store; and
// lz4 records joined into one block without recompressing decode to exactly that list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from '../helpers/fastCheck.js';
import lz4Js from 'lz4/lib/binding.js';
import { compress, CompressType, decompress, encodeLogGroup } from '../../src/codec/index.js';
import { FileHandles } from '../../src/loghub/store/fileHandles.js';
import { FileShardLog } from '../../src/loghub/store/fileShardLog.js';
import { joinLz4Records } from '../../src/loghub/store/lz4Join.js';
import { lz4RecordPrefix, readRecords } from '../../src/loghub/store/records.js';
import { frameGroup } from '../../src/loghub/store/types.js';

const groupBytes = fc
  .array(fc.record({ time: fc.nat(), value: fc.string({ maxLength: 300 }) }), { minLength: 1, maxLength: 20 })
  .map((logs) =>
    Buffer.from(encodeLogGroup({ logs: logs.map((l) => ({ time: l.time, contents: [{ key: 'v', value: l.value }] })), logTags: [] })),
  );
const records = fc.array(fc.record({ group: groupBytes, lz4: fc.boolean() }), { minLength: 1, maxLength: 12 });

test('readRecords gives the frames of any window of mixed records, and their size', () => {
  fc.assert(
    fc.property(records, fc.nat(), fc.nat(), (recs, a, b) => {
      const stored = recs.map((r) =>
        r.lz4 ? Buffer.concat([lz4RecordPrefix(r.group.length), compress(r.group, CompressType.Lz4)]) : frameGroup(r.group),
      );
      const from = a % recs.length;
      const to = from + 1 + (b % (recs.length - from));
      const run = readRecords(
        Buffer.concat(stored.slice(from, to)),
        stored.map((x) => x.length),
        from,
        to,
      );
      const expected = Buffer.concat(recs.slice(from, to).map((r) => frameGroup(r.group)));
      assert.ok(run.logGroupList().equals(expected));
      assert.equal(run.rawLength, expected.length);
    }),
    { numRuns: 300 },
  );
});

test('the file store reads mixed records back across segments and a reopen', async () => {
  await fc.assert(
    fc.asyncProperty(records, fc.nat(), fc.integer({ min: 1, max: 5 }), async (recs, a, max) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-rec-'));
      try {
        const opts = { segmentBytes: 600, fsync: false, handles: new FileHandles(4) };
        const log = await FileShardLog.open(dir, opts);
        for (const r of recs) await log.append([r.group], 1, [r.lz4 ? compress(r.group, CompressType.Lz4) : undefined]);
        await log.close();
        const again = await FileShardLog.open(dir, opts);
        const from = a % recs.length;
        const got = await again.read(from, max, again.end());
        await again.close();
        assert.equal(got.count, Math.min(max, recs.length - from));
        assert.ok(got.body().equals(Buffer.concat(recs.slice(from, from + got.count).map((r) => frameGroup(r.group)))));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 40 },
  );
});

// Groups from one-log literal-only blocks to many-sequence ones, values repetitive or random.
const anyGroup = fc
  .array(
    fc.record({
      time: fc.nat(),
      value: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ maxLength: 2000 }), fc.constantFrom('GET /api/v1/orders 200 '.repeat(30))),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((logs) =>
    Buffer.from(encodeLogGroup({ logs: logs.map((l) => ({ time: l.time, contents: [{ key: 'v', value: l.value }] })), logTags: [] })),
  );

function lz4Decode(block: Buffer, size: number, impl: { uncompress(i: Buffer, o: Buffer): number }): Buffer {
  const out = Buffer.alloc(size);
  assert.equal(impl.uncompress(block, out), size);
  return out;
}

test('joined lz4 records decode, natively and in pure JS, to exactly the LogGroupList of their groups', () => {
  fc.assert(
    fc.property(fc.array(anyGroup, { minLength: 1, maxLength: 8 }), (groups) => {
      const joined = joinLz4Records(groups.map((g) => ({ rawLength: g.length, block: compress(g, CompressType.Lz4) })));
      assert.ok(joined, 'blocks from a real compressor always join');
      const expected = Buffer.concat(groups.map(frameGroup));
      assert.ok(decompress(joined, CompressType.Lz4, expected.length).equals(expected));
      assert.ok(lz4Decode(joined, expected.length, lz4Js as never).equals(expected));
    }),
    { numRuns: 300 },
  );
});

test('a block that does not parse is not joined (the answer is compressed instead)', () => {
  const g = Buffer.from(encodeLogGroup({ logs: [{ time: 1, contents: [{ key: 'k', value: 'v'.repeat(100) }] }], logTags: [] }));
  const block = compress(g, CompressType.Lz4);
  assert.equal(joinLz4Records([{ rawLength: g.length, block: block.subarray(0, block.length - 3) }]), undefined);
  assert.equal(joinLz4Records([{ rawLength: 1, block: Buffer.from([0xf0]) }]), undefined);
});

test('the file store offers a joined block only when every record read is lz4', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-join-'));
  try {
    const log = await FileShardLog.open(dir, { segmentBytes: 300, fsync: false, handles: new FileHandles(4) });
    const groups = Array.from({ length: 6 }, (_, i) =>
      Buffer.from(encodeLogGroup({ logs: [{ time: i, contents: [{ key: 'i', value: `${i}:`.repeat(60) }] }], logTags: [] })),
    );
    for (const [i, g] of groups.entries()) await log.append([g], 1, [i === 5 ? undefined : compress(g, CompressType.Lz4)]);
    const allLz4 = await log.read(0, 5, log.end());
    const block = allLz4.lz4?.();
    assert.ok(block, 'five lz4 records across segments join');
    assert.ok(decompress(block, CompressType.Lz4, allLz4.rawLength).equals(allLz4.body()));
    assert.ok(allLz4.body().equals(Buffer.concat(groups.slice(0, 5).map(frameGroup))));
    const mixed = await log.read(3, 3, log.end());
    assert.equal(mixed.lz4, undefined);
    await log.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
