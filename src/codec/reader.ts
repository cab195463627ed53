// The bounds-checked protobuf reader shared by the fast decoder and the validator. Every read checks
// the enclosing message's end; malformed input throws CodecError, never reads outside the buffer.
import { CodecError, CodecErrorKind } from './errors.js';
import { FieldTable } from './fastLogGroup.js';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;
const MAX_INTERNED_KEY = 64;
export const NO_TIME = -1;

/** Decodes a short byte range to a string without a native call when it is ASCII. */
export function decodeUtf8(buf: Buffer, start: number, stop: number): string {
  if (stop - start < 24) {
    let s = '';
    for (let i = start; i < stop; i++) {
      const c = buf[i];
      if (c >= 0x80) return buf.toString('utf8', start, stop);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return buf.toString('utf8', start, stop);
}

/**
 * Length prefix of 1 or 2 bytes at `p` (values < 16384), or -1: the Content fast paths handle the
 * common shape "0x0a len key 0x12 len value" inline and leave everything else to the generic loop.
 */
export function shortLen(buf: Buffer, p: number, end: number): number {
  if (p >= end) return -1;
  const b0 = buf[p];
  if (b0 < 0x80) return b0;
  if (p + 1 >= end) return -1;
  const b1 = buf[p + 1];
  // b1 === 0 is an overlong spelling of a value < 128: legal protobuf, but then lenBytes() would
  // misplace the payload, so the generic path (which reads any varint) takes it.
  return b1 < 0x80 && b1 !== 0 ? (b0 & 0x7f) | (b1 << 7) : -1;
}

export const lenBytes = (n: number) => (n < 0x80 ? 1 : 2);

/**
 * When [p, end) is exactly "0x0a len key 0x12 len value" with short lengths (nearly every Content and
 * LogTag), the offset of the 0x12 tag; otherwise -1 and the caller takes the generic path.
 */
export function simpleKeyValue(buf: Buffer, p: number, end: number): number {
  if (p >= end || buf[p] !== 0x0a) return -1;
  const kl = shortLen(buf, p + 1, end);
  if (kl < 0) return -1;
  const q = p + 1 + lenBytes(kl) + kl;
  if (q >= end || buf[q] !== 0x12) return -1;
  const vl = shortLen(buf, q + 1, end);
  return vl >= 0 && q + 1 + lenBytes(vl) + vl === end ? q : -1;
}

interface InternEntry {
  readonly id: number;
  readonly next: InternEntry | undefined;
}

export class Reader {
  pos = 0;
  readonly buf: Buffer;
  private readonly keyIndex = new Map<number, InternEntry>();
  /** key id seen at each field position of the previous log: logs usually repeat their key order */
  readonly lastKeyAt: number[] = [];

  private tableCache: FieldTable | undefined;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Made on first use: validation never needs it. */
  get table(): FieldTable {
    return (this.tableCache ??= new FieldTable(this.buf));
  }

  fail(kind: CodecErrorKind, msg: string): never {
    throw new CodecError(kind, msg, this.pos);
  }

  /** Reads a varint as an unsigned 32-bit value (higher bits dropped, as protobuf uint32 does). */
  varint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) this.fail(CodecErrorKind.Truncated, 'truncated varint');
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let v = b & 0x7f;
    let shift = 7;
    for (let i = 1; i < 10; i++) {
      if (pos >= end) this.fail(CodecErrorKind.Truncated, 'truncated varint');
      b = buf[pos++];
      if (shift < 32) v |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = pos;
        return v >>> 0;
      }
    }
    return this.fail(CodecErrorKind.Malformed, 'varint longer than 10 bytes');
  }

  /**
   * A varint of at most 5 bytes whose 5th byte is at most `maxLast`: protobufjs and protoc refuse
   * longer tags and lengths, so these do too (values stay within 32 bits, lengths within 31).
   */
  private boundedVarint(end: number, maxLast: number, what: string): number {
    const start = this.pos;
    const v = this.varint32(end);
    const len = this.pos - start;
    if (len > 5 || (len === 5 && this.buf[start + 4] > maxLast)) {
      this.pos = start;
      this.fail(CodecErrorKind.Malformed, `${what} longer than ${maxLast === 0x0f ? 32 : 31} bits`);
    }
    return v;
  }

  /** Reads a field tag; field number 0 is invalid protobuf (protoc and the SDKs never write it). */
  tag(end: number): number {
    const tag = this.boundedVarint(end, 0x0f, 'field tag');
    if (tag >>> 3 === 0) this.fail(CodecErrorKind.Malformed, 'field number 0');
    return tag;
  }

  /** Reads a length prefix and returns the end offset of the delimited field. */
  delimited(end: number): number {
    const len = this.boundedVarint(end, 0x07, 'length');
    const stop = this.pos + len;
    if (stop > end) this.fail(CodecErrorKind.Truncated, `length ${len} runs past the end of the message`);
    return stop;
  }

  fixed32(end: number): number {
    if (this.pos + 4 > end) this.fail(CodecErrorKind.Truncated, 'truncated fixed32');
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  skip(wireType: number, end: number): void {
    if (wireType === WIRE_VARINT) this.varint32(end);
    else if (wireType === WIRE_LEN) this.pos = this.delimited(end);
    else if (wireType === WIRE_FIXED64 || wireType === WIRE_FIXED32) {
      const n = wireType === WIRE_FIXED64 ? 8 : 4;
      if (this.pos + n > end) this.fail(CodecErrorKind.Truncated, `truncated fixed${n * 8}`);
      this.pos += n;
    } else this.fail(CodecErrorKind.Malformed, `unsupported wire type ${wireType}`);
  }

  /** Walks a LogGroupList: calls `visit(start, end)` for each LogGroup (field 1), skips anything else. */
  eachGroup(visit: (start: number, end: number) => void): void {
    const end = this.buf.length;
    while (this.pos < end) {
      const tag = this.tag(end);
      if (tag >>> 3 === 1) {
        this.expect(tag & 7, WIRE_LEN, 'LogGroupList.LogGroups');
        const stop = this.delimited(end);
        visit(this.pos, stop);
        this.pos = stop;
      } else this.skip(tag & 7, end);
    }
  }

  expect(wireType: number, wanted: number, what: string): void {
    if (wireType !== wanted) this.fail(CodecErrorKind.Malformed, `${what} has wire type ${wireType}, expected ${wanted}`);
  }

  string(end: number): string {
    const stop = this.delimited(end);
    const start = this.pos;
    this.pos = stop;
    return decodeUtf8(this.buf, start, stop);
  }

  /** Interns the key at [start, stop) and returns its id in the field table. */
  keyId(start: number, stop: number, position: number): number {
    const guess = this.lastKeyAt[position];
    if (guess !== undefined && this.table.keyEquals(guess, start, stop)) return guess;
    return this.keyIdMiss(start, stop, position);
  }

  /** keyId when the positional guess failed (the hot loop checks the guess inline). */
  keyIdMiss(start: number, stop: number, position: number): number {
    const id = this.internKey(start, stop);
    this.lastKeyAt[position] = id;
    return id;
  }

  private internKey(start: number, stop: number): number {
    const buf = this.buf;
    const len = stop - start;
    if (len > MAX_INTERNED_KEY) return this.table.addKey(buf.toString('utf8', start, stop));
    let h = len;
    for (let i = start; i < stop; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    for (let e = this.keyIndex.get(h); e !== undefined; e = e.next) {
      if (this.table.keyEquals(e.id, start, stop)) return e.id;
    }
    const id = this.table.addKey(buf.toString('utf8', start, stop), start, stop);
    this.keyIndex.set(h, { id, next: this.keyIndex.get(h) });
    return id;
  }
}
