// Joins stored lz4 records into the one lz4 block a PullLogs answer needs, without recompressing.
// LZ4 block format: sequences of [token: literal length << 4 | match length - 4]
// [literal length extension] [literals] [offset u16le] [match length extension]; the last sequence
// of a block is literals only. Offsets count back from the decoding position, so a record's matches
// stay valid wherever its bytes land. Joining therefore only touches literal runs: each record's
// frame prefix and its first literals become one run (carrying the first match), the middle of the
// record is copied as it is, and its last literals wait to join the next record's first run.
// Compressing a pulled LogGroupList was most of the LogHub's PullLogs CPU; this is a walk over
// tokens plus copies. A block that does not parse as expected gives undefined, and the caller
// compresses instead.
import type { StoredLz4 } from './records.js';
import { framePrefix } from './types.js';

/** Reads a length nibble's extension bytes at `p`; returns [length, next position] or undefined. */
function extended(block: Buffer, base: number, p: number): [number, number] | undefined {
  let n = base;
  if (base !== 15) return [n, p];
  for (;;) {
    if (p >= block.length) return undefined;
    const b = block[p++];
    n += b;
    if (b !== 255) return [n, p];
  }
}

/** Token + extension for a literal run of `n` bytes with match nibble `low`. */
function literalHeader(n: number, low: number): Buffer {
  const bytes = [(Math.min(n, 15) << 4) | low];
  if (n >= 15) {
    let rest = n - 15;
    for (; rest >= 255; rest -= 255) bytes.push(255);
    bytes.push(rest);
  }
  return Buffer.from(bytes);
}

interface Shape {
  /** the first sequence's token, and where its literals start and end */
  readonly token: number;
  readonly litStart: number;
  readonly litEnd: number;
  /** start of the last (literals-only) sequence's literals, or -1 when the block is one sequence */
  readonly lastLitStart: number;
  /** start of the last sequence's token */
  readonly lastSeq: number;
}

function shape(block: Buffer): Shape | undefined {
  let first: { token: number; litStart: number; litEnd: number } | undefined;
  for (let s = 0; s < block.length;) {
    const token = block[s];
    const lit = extended(block, token >> 4, s + 1);
    if (!lit) return undefined;
    const litEnd = lit[1] + lit[0];
    if (litEnd > block.length) return undefined;
    first ??= { token, litStart: lit[1], litEnd };
    if (litEnd === block.length) return { ...first, lastLitStart: s === 0 ? -1 : lit[1], lastSeq: s };
    const match = extended(block, token & 15, litEnd + 2);
    if (!match || litEnd + 2 > block.length) return undefined;
    s = match[1];
  }
  return undefined;
}

/** One lz4 block for the LogGroupList of `records` (each: raw LogGroup length and its lz4 block). */
export function joinLz4Records(records: readonly StoredLz4[]): Buffer | undefined {
  const out: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingLength = 0;
  for (const { rawLength, block } of records) {
    const sh = shape(block);
    if (!sh) return undefined;
    const prefix = framePrefix(rawLength);
    pending.push(prefix, block.subarray(sh.litStart, sh.litEnd));
    pendingLength += prefix.length + (sh.litEnd - sh.litStart);
    if (sh.lastLitStart < 0) continue;
    // First sequence: all pending literals, then this block's first match and everything up to its last sequence.
    out.push(literalHeader(pendingLength, sh.token & 15), ...pending, block.subarray(sh.litEnd, sh.lastSeq));
    pending = [block.subarray(sh.lastLitStart)];
    pendingLength = block.length - sh.lastLitStart;
  }
  out.push(literalHeader(pendingLength, 0), ...pending);
  return Buffer.concat(out);
}
