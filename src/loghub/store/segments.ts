// A shard's segment files and how they are read back at start (fileShardLog.ts says what they hold).
// Recovery keeps every entry whose index entry, offsets and data CRC check out, and cuts the tail at
// the first one that does not. Only bytes that were never acknowledged can be there: a write is
// acknowledged after both files are synced, and a failed write is undone before the next one starts
// (fileShardLog.ts), so nothing is ever appended after torn bytes.
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { StoreIo } from './storeIo.js';

/** bytes of one index entry */
export const ENTRY = 24;

export interface Segment {
  readonly first: number;
  readonly dataPath: string;
  readonly indexPath: string;
  /** entries acknowledged (durable) in this segment */
  count: number;
  /** data bytes acknowledged (durable) in this segment */
  size: number;
}

export const segName = (seq: number) => String(seq).padStart(20, '0');

export function segmentAt(dir: string, first: number): Segment {
  const base = path.join(dir, segName(first));
  return { first, dataPath: `${base}.data`, indexPath: `${base}.index`, count: 0, size: 0 };
}

/** Fills `entry` (ENTRY bytes) for a record of `len` bytes at `off`, received at `time`, with CRC `dataCrc`. */
export function writeEntry(entry: Buffer, off: number, len: number, time: number, dataCrc: number): void {
  entry.writeUInt32LE(off % 2 ** 32, 0);
  entry.writeUInt32LE(Math.floor(off / 2 ** 32), 4);
  entry.writeUInt32LE(len, 8);
  entry.writeUInt32LE(time >>> 0, 12);
  entry.writeUInt32LE(dataCrc, 16);
  entry.writeUInt32LE(crc32(entry.subarray(0, 20)), 20);
}

export interface RecoveredShard {
  readonly segments: Segment[];
  readonly first: number;
  readonly offsets: number[];
  readonly lengths: number[];
  readonly times: number[];
}

export async function recoverShard(dir: string, io: StoreIo, onWarning?: (msg: string) => void): Promise<RecoveredShard> {
  const out: RecoveredShard = { segments: [], first: 0, offsets: [], lengths: [], times: [] };
  let first = 0;
  const end = () => first + out.times.length;
  const names = (await io.readdir(dir)).filter((n) => /^\d{20}\.index$/.test(n)).sort();
  const dropFrom = async (i: number) => {
    for (const n of names.slice(i)) {
      await io.rm(path.join(dir, `${n.slice(0, 20)}.data`));
      await io.rm(path.join(dir, n));
    }
  };
  for (let i = 0; i < names.length; i++) {
    const seg = segmentAt(dir, Number(names[i].slice(0, 20)));
    if (out.segments.length === 0) first = seg.first;
    else if (seg.first !== end()) {
      onWarning?.(`${dir}: segment ${seg.first} does not follow ${end()}; dropping it and later segments`);
      await dropFrom(i);
      break;
    }
    const intact = await loadSegment(seg, i === names.length - 1, out, io, onWarning);
    out.segments.push(seg);
    if (!intact) {
      await dropFrom(i + 1);
      break;
    }
  }
  return { ...out, first };
}

/** Loads one segment's index into `out`, verifying it; cuts a bad tail. Returns false when it cut something. */
async function loadSegment(seg: Segment, isLast: boolean, out: RecoveredShard, io: StoreIo, onWarning?: (msg: string) => void) {
  const index = await io.readFile(seg.indexPath);
  // Only the last segment can hold a torn write: read its data to check CRCs; older ones need only their size.
  const data = isLast ? await io.readFile(seg.dataPath).catch(() => Buffer.alloc(0)) : undefined;
  const dataLength = data ? data.length : await io.size(seg.dataPath);
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
    out.offsets.push(off);
    out.lengths.push(len);
    out.times.push(e.readUInt32LE(12));
    offset = off + len;
  }
  seg.count = good;
  seg.size = offset;
  const cut = good * ENTRY !== index.length || offset !== dataLength;
  if (cut) {
    onWarning?.(`${seg.indexPath}: cut a torn tail after ${good} entries (${dataLength - offset} data bytes dropped, never acknowledged)`);
    await truncateFile(io, seg.indexPath, good * ENTRY);
    await truncateFile(io, seg.dataPath, offset);
  }
  return !cut;
}

async function truncateFile(io: StoreIo, filePath: string, length: number): Promise<void> {
  const fh = await io.open(filePath, length === 0 ? 'w' : 'r+');
  try {
    await fh.truncate(length);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}
