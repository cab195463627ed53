// One shard on disk: segments named by their first sequence number, each a pair
//   <seq>.data  = records back to back (records.ts): raw LogGroupList frames, or lz4 records that
//                 keep a PutLogs body as the client compressed it; a read is one slice, expanded
//                 into a LogGroupList only when it holds lz4 records
//   <seq>.index = 24-byte entries: offset u32 lo, offset u32 hi, length u32, receive time u32,
//                 crc32(record), crc32(first 20 bytes of the entry)
// Appends are group-committed: everything queued while a write is in flight goes out in the next
// write, then both files are fsynced before any of those PutLogs is acknowledged. On open, the tail
// is checked entry by entry (entry CRC, offsets, data CRC) and cut at the first bad entry, so a torn
// write is never served.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { framePrefix, type ReadResult, type ShardLog } from './types.js';
import type { FileHandles } from './fileHandles.js';
import { joinLz4Records } from './lz4Join.js';
import { lz4RecordPrefix, readRecords, type RecordRun } from './records.js';
import { lowerBound } from './search.js';

const ENTRY = 24;

interface Segment {
  readonly first: number;
  readonly dataPath: string;
  readonly indexPath: string;
  count: number;
  size: number;
}

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
  readonly onWarning?: (msg: string) => void;
  /** seconds each group commit's fsync of data and index took (metrics) */
  readonly onFsync?: (seconds: number) => void;
}

const segName = (seq: number) => String(seq).padStart(20, '0');

export class FileShardLog implements ShardLog {
  private segments: Segment[] = [];
  private offsets: number[] = [];
  private lengths: number[] = [];
  private times: number[] = [];
  private first = 0;
  private queue: Pending[] = [];
  private writing = false;

  private constructor(
    private readonly dir: string,
    private readonly opts: FileShardLogOptions,
  ) {}

  static async open(dir: string, opts: FileShardLogOptions): Promise<FileShardLog> {
    const log = new FileShardLog(dir, opts);
    await fsp.mkdir(dir, { recursive: true });
    await log.recover();
    return log;
  }

  begin(): number {
    return this.first;
  }

  end(): number {
    return this.first + this.times.length;
  }

  private async recover(): Promise<void> {
    const names = (await fsp.readdir(this.dir)).filter((n) => /^\d{20}\.index$/.test(n)).sort();
    for (let i = 0; i < names.length; i++) {
      const first = Number(names[i].slice(0, 20));
      const seg: Segment = {
        first,
        dataPath: path.join(this.dir, `${segName(first)}.data`),
        indexPath: path.join(this.dir, names[i]),
        count: 0,
        size: 0,
      };
      if (this.segments.length === 0) this.first = first;
      else if (first !== this.end()) {
        this.opts.onWarning?.(`${this.dir}: segment ${first} does not follow ${this.end()}; dropping it and later segments`);
        for (const n of names.slice(i)) await this.removeSegmentFiles(path.join(this.dir, n.slice(0, 20)));
        break;
      }
      const intact = await this.loadSegment(seg, i === names.length - 1);
      this.segments.push(seg);
      if (!intact) {
        for (const n of names.slice(i + 1)) await this.removeSegmentFiles(path.join(this.dir, n.slice(0, 20)));
        break;
      }
    }
  }

  private async removeSegmentFiles(base: string): Promise<void> {
    await fsp.rm(`${base}.data`, { force: true });
    await fsp.rm(`${base}.index`, { force: true });
  }

  /** Loads one segment's index, verifying it; cuts a bad tail. Returns false when it cut something. */
  private async loadSegment(seg: Segment, isLast: boolean): Promise<boolean> {
    const index = await fsp.readFile(seg.indexPath);
    // Only the last segment can hold a torn write: read its data to check CRCs; older ones need only their size.
    const data = isLast ? await fsp.readFile(seg.dataPath).catch(() => Buffer.alloc(0)) : undefined;
    const dataLength = data
      ? data.length
      : await fsp.stat(seg.dataPath).then(
          (st) => st.size,
          () => 0,
        );
    let good = 0;
    let offset = 0;
    const whole = Math.floor(index.length / ENTRY);
    for (; good < whole; good++) {
      const e = index.subarray(good * ENTRY, (good + 1) * ENTRY);
      if (crc32(e.subarray(0, 20)) !== e.readUInt32LE(20)) break;
      const off = e.readUInt32LE(0) + e.readUInt32LE(4) * 2 ** 32;
      const len = e.readUInt32LE(8);
      if (off !== offset || off + len > dataLength) break;
      if (data && crc32(data.subarray(off, off + len)) !== e.readUInt32LE(16)) break;
      this.offsets.push(off);
      this.lengths.push(len);
      this.times.push(e.readUInt32LE(12));
      offset = off + len;
    }
    seg.count = good;
    seg.size = offset;
    const cut = good * ENTRY !== index.length || offset !== dataLength;
    if (cut) {
      this.opts.onWarning?.(`${seg.indexPath}: cut a torn tail after ${good} entries (${dataLength - offset} data bytes dropped)`);
      await fsp.truncate(seg.indexPath, good * ENTRY);
      await fsp.truncate(seg.dataPath, offset).catch(() => fsp.writeFile(seg.dataPath, ''));
    }
    return !cut;
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
          batch.forEach((p, i) => p.resolve(seqs[i]));
        } catch (e) {
          batch.forEach((p) => p.reject(e));
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async activeSegment(): Promise<Segment> {
    let seg = this.segments[this.segments.length - 1];
    if (!seg || seg.size >= this.opts.segmentBytes) {
      const first = this.end();
      const base = path.join(this.dir, segName(first));
      seg = { first, dataPath: `${base}.data`, indexPath: `${base}.index`, count: 0, size: 0 };
      await fsp.writeFile(seg.dataPath, '');
      await fsp.writeFile(seg.indexPath, '');
      this.segments.push(seg);
    }
    return seg;
  }

  private async writeBatch(batch: readonly Pending[]): Promise<number[]> {
    const seg = await this.activeSegment();
    // [prefix, group] pairs go out with one writev: no copy of the (often large) groups.
    const parts: Buffer[] = [];
    const entries = Buffer.alloc(batch.reduce((n, p) => n + p.groups.length, 0) * ENTRY);
    const added: { off: number; len: number; time: number }[] = [];
    let off = seg.size;
    for (const p of batch) {
      for (let gi = 0; gi < p.groups.length; gi++) {
        const block = p.lz4?.[gi];
        const prefix = block ? lz4RecordPrefix(p.groups[gi].length) : framePrefix(p.groups[gi].length);
        const g = block ?? p.groups[gi];
        const len = prefix.length + g.length;
        const e = entries.subarray(added.length * ENTRY, (added.length + 1) * ENTRY);
        e.writeUInt32LE(off % 2 ** 32, 0);
        e.writeUInt32LE(Math.floor(off / 2 ** 32), 4);
        e.writeUInt32LE(len, 8);
        e.writeUInt32LE(p.time >>> 0, 12);
        e.writeUInt32LE(crc32(g, crc32(prefix)), 16);
        e.writeUInt32LE(crc32(e.subarray(0, 20)), 20);
        parts.push(prefix, g);
        added.push({ off, len, time: p.time });
        off += len;
      }
    }
    const { handles, fsync, onFsync } = this.opts;
    const syncStart = performance.now();
    await Promise.all([
      handles.use(seg.dataPath, 'r+', async (fh) => {
        await fh.writev(parts, seg.size);
        if (fsync) await fh.datasync();
      }),
      handles.use(seg.indexPath, 'r+', async (fh) => {
        await fh.write(entries, 0, entries.length, seg.count * ENTRY);
        if (fsync) await fh.datasync();
      }),
    ]);
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
    seg.size = off;
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
      await this.removeSegmentFiles(path.join(this.dir, segName(seg.first)));
      this.segments.shift();
      this.offsets.splice(0, seg.count);
      this.lengths.splice(0, seg.count);
      this.times.splice(0, seg.count);
      this.first += seg.count;
    }
    return this.first;
  }

  async close(): Promise<void> {
    while (this.writing) await new Promise((r) => setImmediate(r));
    await this.opts.handles.closeUnder(this.dir + path.sep);
  }
}
