// Stored records (raw frames and lz4 records as clients sent them) read back as exactly the
// LogGroupList of their groups, for any mix and any read window, through the real file store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { compress, CompressType, encodeLogGroup } from '../../src/codec/index.js';
import { FileShardLog } from '../../src/loghub/store/fileShardLog.js';
import { lz4RecordPrefix, recordsToLogGroupList } from '../../src/loghub/store/records.js';
import { frameGroup } from '../../src/loghub/store/types.js';

const groupBytes = fc
  .array(fc.record({ time: fc.nat(), value: fc.string({ maxLength: 300 }) }), { minLength: 1, maxLength: 20 })
  .map((logs) => Buffer.from(encodeLogGroup({ logs: logs.map((l) => ({ time: l.time, contents: [{ key: 'v', value: l.value }] })), logTags: [] })));
const records = fc.array(fc.record({ group: groupBytes, lz4: fc.boolean() }), { minLength: 1, maxLength: 12 });

test('recordsToLogGroupList gives the frames of any window of mixed records', () => {
  fc.assert(
    fc.property(records, fc.nat(), fc.nat(), (recs, a, b) => {
      const stored = recs.map((r) => (r.lz4 ? Buffer.concat([lz4RecordPrefix(r.group.length), compress(r.group, CompressType.Lz4)]) : frameGroup(r.group)));
      const from = a % recs.length;
      const to = from + 1 + (b % (recs.length - from));
      const got = recordsToLogGroupList(Buffer.concat(stored.slice(from, to)), stored.map((x) => x.length), from, to);
      assert.ok(got.equals(Buffer.concat(recs.slice(from, to).map((r) => frameGroup(r.group)))));
    }),
    { numRuns: 300 },
  );
});

test('the file store reads mixed records back across segments and a reopen', async () => {
  await fc.assert(
    fc.asyncProperty(records, fc.nat(), fc.integer({ min: 1, max: 5 }), async (recs, a, max) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-rec-'));
      try {
        const opts = { segmentBytes: 600, fsync: false };
        const log = await FileShardLog.open(dir, opts);
        for (const r of recs) await log.append([r.group], 1, [r.lz4 ? compress(r.group, CompressType.Lz4) : undefined]);
        await log.close();
        const again = await FileShardLog.open(dir, opts);
        const from = a % recs.length;
        const got = await again.read(from, max, again.end());
        await again.close();
        assert.equal(got.count, Math.min(max, recs.length - from));
        assert.ok(got.body.equals(Buffer.concat(recs.slice(from, from + got.count).map((r) => frameGroup(r.group)))));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 40 },
  );
});
