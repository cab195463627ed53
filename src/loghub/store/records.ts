// Records of a shard's data file. A record is one LogGroup, stored in one of two forms:
//   raw frame:  0x0a varint(len) <LogGroup>        (a LogGroupList entry: field 1, wire type 2)
//   lz4 record: 0xf4 varint(rawLen) <lz4 block>    (the PutLogs body exactly as the client sent it)
// The first byte tells them apart: a raw frame always starts with 0x0a. Storing an lz4 body as
// received saves decompressed bytes on disk, in the page cache and under the CRC (about 30% less
// server CPU per MB ingested: docs/loghub.md); reads expand lz4 records back into frames, so
// PullLogs still answers a LogGroupList (or joins them as they are: lz4Join.ts). Segments written before lz4 records existed hold only raw frames
// and read exactly as before.
import { CompressType, decompress } from '../../codec/index.js';
import { framePrefix, taggedLength } from './types.js';

export const FRAME_TAG = 0x0a;
export const LZ4_RECORD = 0xf4;

/** The header of an lz4 record whose LogGroup is `rawLength` bytes. */
export const lz4RecordPrefix = (rawLength: number): Buffer => taggedLength(LZ4_RECORD, rawLength);

/** Reads the varint after a record's first byte: [value, bytes used including the first]. */
function header(buf: Buffer, at: number, end: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (let p = at + 1; p < end && shift < 35; p++, shift += 7) {
    const b = buf[p];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [v, p + 1 - at];
  }
  throw new Error(`record at ${at}: bad length header`);
}

/** An lz4 record's parts: its LogGroup's length and the block as the client sent it. */
export interface StoredLz4 {
  readonly rawLength: number;
  readonly block: Buffer;
}

/** A run of consecutive records read in one piece, parsed once. */
export interface RecordRun {
  /** bytes of the LogGroupList these records make */
  readonly rawLength: number;
  /** every record as stored when all of them are lz4 records, else undefined */
  readonly lz4: StoredLz4[] | undefined;
  /** The LogGroupList: `buf` itself when every record is a raw frame, else expanded. */
  logGroupList(): Buffer;
}

const varintBytes = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

/**
 * Parses records lengths[from..to), back to back in `buf`. Records were CRC-checked when written
 * and on recovery, so an unknown kind here is a bug, not bad data.
 */
export function readRecords(buf: Buffer, lengths: readonly number[], from: number, to: number): RecordRun {
  let rawLength = 0;
  let frames = 0;
  const lz4: StoredLz4[] = [];
  for (let i = from, at = 0; i < to; at += lengths[i++]) {
    if (buf[at] === FRAME_TAG) {
      rawLength += lengths[i];
      frames++;
    } else if (buf[at] === LZ4_RECORD) {
      const [raw, used] = header(buf, at, at + lengths[i]);
      rawLength += 1 + varintBytes(raw) + raw;
      lz4.push({ rawLength: raw, block: buf.subarray(at + used, at + lengths[i]) });
    } else throw new Error(`record at ${at}: unknown kind 0x${buf[at].toString(16)}`);
  }
  return {
    rawLength,
    lz4: frames === 0 ? lz4 : undefined,
    logGroupList: () => (lz4.length === 0 ? buf : expand(buf, lengths, from, to, rawLength)),
  };
}

/** Copies raw frames and decompresses lz4 records into one LogGroupList of `total` bytes. */
function expand(buf: Buffer, lengths: readonly number[], from: number, to: number, total: number): Buffer {
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  for (let i = from, at = 0; i < to; at += lengths[i++]) {
    const len = lengths[i];
    if (buf[at] === FRAME_TAG) {
      o += buf.copy(out, o, at, at + len);
      continue;
    }
    const [raw, used] = header(buf, at, at + len);
    o += framePrefix(raw).copy(out, o);
    const into = out.subarray(o, o + raw);
    decompress(buf.subarray(at + used, at + len), CompressType.Lz4, raw, raw, () => into);
    o += raw;
  }
  return out;
}
