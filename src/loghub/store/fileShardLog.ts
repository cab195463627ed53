// One shard on disk: segments named by their first sequence number, each a pair
//   <seq>.data  = records back to back (records.ts): raw LogGroupList frames, or lz4 records that
//                 keep a PutLogs body as the client compressed it; a read is one slice, expanded
//                 into a LogGroupList only when it holds lz4 records
//   <seq>.index = 24-byte entries (segments.ts): offset u32 lo, offset u32 hi, length u32, receive
//                 time u32, crc32(record), crc32(first 20 bytes of the entry)
// Appends are group-committed: everything queued while a write is in flight goes out in the next
// write, then both files are fsynced before any of those PutLogs is acknowledged. A failed write or
// fsync acknowledges nothing and is undone (both files truncated back to the last acknowledged entry
// and synced) before the next write starts; until that succeeds the shard refuses writes. So torn
// bytes are only ever the tail, and recovery at start (segments.ts) cuts only what was never
// acknowledged. A failed fsync is never retried as if the data were safe: the page cache may have
// dropped it, so the bytes are truncated away and the write is answered with an error.
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { framePrefix, type ReadResult, type ShardLog } from './types.js';
import type { FileHandles } from './fileHandles.js';
import { joinLz4Records } from './lz4Join.js';
import { lz4RecordPrefix, readRecords, type RecordRun } from './records.js';
import { lowerBound } from './search.js';
import { ENTRY, recoverShard, segmentAt, segName, writeEntry, type Segment } from './segments.js';
import type { StorageHealth } from './storageHealth.js';
import { nodeIo, writeFully, type StoreIo } from './storeIo.js';

interface Pending {
  readonly groups: readonly Buffer[];
  readonly lz4: readonly (Buffer | undefined)[] | undefined;
  readonly time: number;
  readonly resolve: (seq: number) => void;
  readonly reject: (e: unknown) => void;
}

export interface FileShardLogOptions {
  readonly segmentBytes: number;
  readonly fsync: boolean;
  /** the store's bounded cache of open files (fileHandles.ts) */
  readonly handles: FileHandles;
  /** every file operation (default: node's fs) */
  readonly io?: StoreIo;
  /** turns failed writes into SLS answers and one warning per episode (default: the raw error) */
  readonly health?: StorageHealth;
  readonly onWarning?: (msg: string) => void;
  /** seconds each group commit's fsync of data and index took (metrics) */
  readonly onFsync?: (seconds: number) => void;
}

export class FileShardLog implements ShardLog {
  private segments: Segment[] = [];
  private offsets: number[] = [];
  private lengths: number[] = [];
  private times: number[] = [];
  private first = 0;
  private queue: Pending[] = [];
  private writing = false;
  /** a failed write left bytes past the last acknowledged entry: undo them before writing again */
  private dirty = false;
  private readonly io: StoreIo;

  private constructor(
    private readonly dir: string,
    private readonly opts: FileShardLogOptions,
  ) {
    this.io = opts.io ?? nodeIo;
  }

  static async open(dir: string, opts: FileShardLogOptions): Promise<FileShardLog> {
    const log = new FileShardLog(dir, opts);
    await log.io.mkdir(dir);
    Object.assign(log, await recoverShard(dir, log.io, opts.onWarning));
    return log;
  }

  begin(): number {
    return this.first;
  }

  end(): number {
    return this.first + this.times.length;
  }

  append(groups: readonly Buffer[], time: number, lz4?: readonly (Buffer | undefined)[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ groups, lz4, time, resolve, reject });
      if (!this.writing) void this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          const seqs = await this.writeBatch(batch);
          this.opts.health?.succeeded();
          batch.forEach((p, i) => p.resolve(seqs[i]));
        } catch (e) {
          const answer = this.opts.health ? this.opts.health.failed(e, `writing ${this.dir}`) : e;
          batch.forEach((p) => p.reject(answer));
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async activeSegment(): Promise<Segment> {
    const last = this.segments[this.segments.length - 1];
    if (last && last.size < this.opts.segmentBytes) return last;
    const seg = segmentAt(this.dir, this.end());
    try {
      for (const file of [seg.dataPath, seg.indexPath]) await (await this.io.open(file, 'w')).close();
      // The new names must survive a power cut before anything in them is acknowledged.
      if (this.opts.fsync) await this.io.syncDir(this.dir);
    } catch (e) {
      // Half-made files name no acknowledged entry; the next attempt empties them ('w') anyway.
      await this.removeSegmentFiles(seg).catch(() => undefined);
      throw e;
    }
    this.segments.push(seg);
    return seg;
  }

  /** Truncates the active segment's files back to the last acknowledged entry, durably. */
  private async undoUnacknowledged(): Promise<void> {
    const seg = this.segments[this.segments.length - 1];
    if (seg) {
      for (const [file, length] of [
        [seg.dataPath, seg.size],
        [seg.indexPath, seg.count * ENTRY],
      ] as const) {
        await this.opts.handles.use(file, 'r+', async (fh) => {
          await fh.truncate(length);
          if (this.opts.fsync) await fh.datasync();
        });
      }
    }
    this.dirty = false;
  }

  private async writeBatch(batch: readonly Pending[]): Promise<number[]> {
    if (this.dirty) await this.undoUnacknowledged();
    const seg = await this.activeSegment();
    const { parts, entries, added, size } = encodeBatch(batch, seg.size);
    const { handles, fsync, onFsync } = this.opts;
    const syncStart = performance.now();
    // Both writes settle before anything is judged: an undo must not race a write still in flight.
    const results = await Promise.allSettled([
      handles.use(seg.dataPath, 'r+', async (fh) => {
        await writeFully(fh, parts, seg.size);
        if (fsync) await fh.datasync();
      }),
      handles.use(seg.indexPath, 'r+', async (fh) => {
        await writeFully(fh, [entries], seg.count * ENTRY);
        if (fsync) await fh.datasync();
      }),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      this.dirty = true;
      await this.undoUnacknowledged().catch(() => undefined);
      throw failed.reason;
    }
    if (fsync) onFsync?.((performance.now() - syncStart) / 1000);
    const seqs: number[] = [];
    let k = 0;
    for (const p of batch) {
      seqs.push(this.end());
      for (let i = 0; i < p.groups.length; i++, k++) {
        this.offsets.push(added[k].off);
        this.lengths.push(added[k].len);
        this.times.push(added[k].time);
      }
    }
    seg.count += added.length;
    seg.size = size;
    return seqs;
  }

  private segmentOf(seq: number): Segment {
    const i = lowerBound(this.segments.length, (k) => this.segments[k].first <= seq) - 1;
    return this.segments[i];
  }

  async read(from: number, max: number, stop: number): Promise<ReadResult> {
    const last = Math.min(from + max, stop, this.end());
    if (last <= from) return { body: () => Buffer.alloc(0), rawLength: 0, count: 0, lastTime: undefined };
    const runs: RecordRun[] = [];
    for (let seq = from; seq < last;) {
      const seg = this.segmentOf(seq);
      const upto = Math.min(last, seg.first + seg.count);
      const start = this.offsets[seq - this.first];
      const endByte = this.offsets[upto - 1 - this.first] + this.lengths[upto - 1 - this.first];
      const buf = Buffer.allocUnsafe(endByte - start);
      const { bytesRead } = await this.opts.handles.use(seg.dataPath, 'r', (fh) => fh.read(buf, 0, buf.length, start));
      if (bytesRead !== buf.length) throw new Error(`${seg.dataPath}: short read at ${start}`);
      runs.push(readRecords(buf, this.lengths, seq - this.first, upto - this.first));
      seq = upto;
    }
    // Only lz4 records read: PullLogs can answer them joined (lz4Join.ts), without expanding them.
    const lz4 = runs.every((r) => r.lz4) ? runs.flatMap((r) => r.lz4!) : undefined;
    return {
      count: last - from,
      lastTime: this.times[last - 1 - this.first],
      rawLength: runs.reduce((n, r) => n + r.rawLength, 0),
      body: () => (runs.length === 1 ? runs[0].logGroupList() : Buffer.concat(runs.map((r) => r.logGroupList()))),
      lz4: lz4 && (() => joinLz4Records(lz4)),
    };
  }

  seqAtTime(time: number): number {
    return this.first + lowerBound(this.times.length, (i) => this.times[i] < time);
  }

  timeOf(seq: number): number {
    return this.times[seq - this.first];
  }

  async expireBefore(time: number): Promise<number> {
    // Whole segments only, and never the one being written.
    while (this.segments.length > 1) {
      const seg = this.segments[0];
      const lastTime = this.times[seg.first + seg.count - 1 - this.first];
      if (lastTime === undefined || lastTime >= time) break;
      await this.opts.handles.closeUnder(path.join(this.dir, segName(seg.first)));
      await this.removeSegmentFiles(seg);
      this.segments.shift();
      this.offsets.splice(0, seg.count);
      this.lengths.splice(0, seg.count);
      this.times.splice(0, seg.count);
      this.first += seg.count;
    }
    return this.first;
  }

  private async removeSegmentFiles(seg: Segment): Promise<void> {
    await this.io.rm(seg.dataPath);
    await this.io.rm(seg.indexPath);
  }

  async close(): Promise<void> {
    while (this.writing) await new Promise((r) => setImmediate(r));
    await this.opts.handles.closeUnder(this.dir + path.sep);
  }
}

/** The [prefix, group] pairs of a batch (one writev: no copy of the often large groups) and their index entries. */
function encodeBatch(batch: readonly Pending[], startOffset: number) {
  const parts: Buffer[] = [];
  const entries = Buffer.alloc(batch.reduce((n, p) => n + p.groups.length, 0) * ENTRY);
  const added: { off: number; len: number; time: number }[] = [];
  let off = startOffset;
  for (const p of batch) {
    for (let gi = 0; gi < p.groups.length; gi++) {
      const block = p.lz4?.[gi];
      const prefix = block ? lz4RecordPrefix(p.groups[gi].length) : framePrefix(p.groups[gi].length);
      const g = block ?? p.groups[gi];
      const len = prefix.length + g.length;
      writeEntry(entries.subarray(added.length * ENTRY, (added.length + 1) * ENTRY), off, len, p.time, crc32(g, crc32(prefix)));
      parts.push(prefix, g);
      added.push({ off, len, time: p.time });
      off += len;
    }
  }
  return { parts, entries, added, size: off };
}
