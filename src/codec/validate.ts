// Walking LogGroup bytes without materialising them: splitting a LogGroupList into its groups, and
// validating a LogGroup (what the fast decoder rejects, this rejects) for the PutLogs path.
import { CodecErrorKind } from './errors.js';
import { lenBytes, Reader, shortLen, simpleKeyValue, WIRE_FIXED32, WIRE_LEN, WIRE_VARINT } from './reader.js';

/** Byte range of one LogGroup inside a LogGroupList body. */
export interface GroupSlice {
  readonly start: number;
  readonly end: number;
}

/** Splits a LogGroupList into its groups' raw byte ranges without decoding them. */
export function splitLogGroupList(bytes: Uint8Array): GroupSlice[] {
  const out: GroupSlice[] = [];
  new Reader(bytes).eachGroup((start, end) => out.push({ start, end }));
  return out;
}

function validateKeyValue(r: Reader, end: number, what: string): void {
  if (simpleKeyValue(r.buf, r.pos, end) >= 0) {
    r.pos = end;
    return;
  }
  let seen = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field === 1 || field === 2) {
      r.expect(tag & 7, WIRE_LEN, `${what}.${field === 1 ? 'Key' : 'Value'}`);
      r.pos = r.delimited(end);
      seen |= field;
    } else r.skip(tag & 7, end);
  }
  if (seen !== 3) r.fail(CodecErrorKind.Malformed, `${what} is missing its required ${seen & 1 ? 'Value' : 'Key'}`);
}

function validateLog(r: Reader, end: number): void {
  let hasTime = false;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 2) {
      r.expect(wt, WIRE_LEN, 'Log.Contents');
      validateKeyValue(r, r.delimited(end), 'Content');
    } else if (field === 1) {
      r.expect(wt, WIRE_VARINT, 'Log.Time');
      r.varint32(end);
      hasTime = true;
    } else if (field === 4) {
      r.expect(wt, WIRE_FIXED32, 'Log.Time_ns');
      r.fixed32(end);
    } else r.skip(wt, end);
  }
  if (!hasTime) r.fail(CodecErrorKind.Malformed, 'Log is missing its required Time');
}

/**
 * The PutLogs hot path: true when [p, end) is a Log of the usual shape (Time as a short varint,
 * Contents "0x0a len key 0x12 len value" with short lengths, optional Time_ns), all in bounds.
 * Anything else returns false and the generic walk decides (and names the fault), so this can only
 * accept what validateLog accepts.
 */
function usualLog(buf: Buffer, p: number, end: number): boolean {
  let hasTime = false;
  while (p < end) {
    const tag = buf[p++];
    if (tag === 0x12) {
      const len = shortLen(buf, p, end);
      if (len < 0) return false;
      p += lenBytes(len);
      const stop = p + len;
      if (stop > end || simpleKeyValue(buf, p, stop) < 0) return false;
      p = stop;
    } else if (tag === 0x08) {
      let n = 0;
      while (p < end && buf[p] >= 0x80 && n < 4) (p++, n++);
      if (p >= end || buf[p] >= 0x80) return false;
      p++;
      hasTime = true;
    } else if (tag === 0x25) {
      p += 4;
      if (p > end) return false;
    } else return false;
  }
  return hasTime;
}

/**
 * Checks a LogGroup's structure (what decodeLogGroup would reject, it rejects) and counts its logs,
 * without materialising anything: the PutLogs path stores the bytes as they came.
 */
export function validateLogGroup(bytes: Uint8Array): { logCount: number } {
  const r = new Reader(bytes);
  const end = r.buf.length;
  let logCount = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      r.expect(wt, WIRE_LEN, 'LogGroup.Logs');
      const stop = r.delimited(end);
      if (usualLog(r.buf, r.pos, stop)) r.pos = stop;
      else validateLog(r, stop);
      logCount++;
    } else if (field === 6) {
      r.expect(wt, WIRE_LEN, 'LogGroup.LogTags');
      validateKeyValue(r, r.delimited(end), 'LogTag');
    } else if (field >= 2 && field <= 5) {
      r.expect(wt, WIRE_LEN, 'LogGroup string field');
      r.pos = r.delimited(end);
    } else r.skip(wt, end);
  }
  return { logCount };
}

/** One tag byte then `length` as a varint: how LogGroupList entries and the LogHub's stored records begin (src/loghub/store/records.ts). */
export function taggedLength(tag: number, length: number): Buffer {
  let len = length;
  const prefix: number[] = [tag];
  while (len >= 0x80) {
    prefix.push((len & 0x7f) | 0x80);
    len >>>= 7;
  }
  prefix.push(len);
  return Buffer.from(prefix);
}

/** The bytes that frame a LogGroup of `length` bytes as one LogGroupList entry (field 1, wire type 2). */
export const framePrefix = (length: number): Buffer => taggedLength(0x0a, length);

/** A LogGroup framed as one LogGroupList entry. */
export function frameGroup(group: Uint8Array): Buffer {
  return Buffer.concat([framePrefix(group.byteLength), group]);
}
