// SLS cursors: standard base64 (with padding) of the decimal text of a signed 64-bit integer.
// One log group = one integer step; SDKs do arithmetic on them (Go addCursorIfPossible,
// GetPrevCursorTime), so encode/decode must be exact for the whole int64 range.
import { CodecError, CodecErrorKind } from './errors.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
// One spelling per value: no leading zeros, and no "-0" (which would alias cursor 0).
const DECIMAL = /^(0|-?[1-9][0-9]{0,18})$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function encodeCursor(value: bigint): string {
  if (value > INT64_MAX || value < INT64_MIN) {
    throw new CodecError(CodecErrorKind.Malformed, `cursor value ${value} is outside int64`);
  }
  return Buffer.from(value.toString(10), 'latin1').toString('base64');
}

/** Decodes a cursor; throws CodecError for anything that is not base64 of a decimal int64. */
export function decodeCursor(cursor: string): bigint {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 40 || !BASE64.test(cursor) || cursor.length % 4 !== 0) {
    throw new CodecError(CodecErrorKind.Malformed, `cursor ${JSON.stringify(String(cursor).slice(0, 60))} is not valid base64`);
  }
  const bytes = Buffer.from(cursor, 'base64');
  const text = bytes.toString('latin1');
  // Base64 ignores the unused low bits of the last character: require the one canonical spelling,
  // so no two cursor strings name the same position.
  if (!DECIMAL.test(text) || bytes.toString('base64') !== cursor) {
    throw new CodecError(CodecErrorKind.Malformed, `cursor ${JSON.stringify(cursor)} does not hold a decimal integer`);
  }
  const v = BigInt(text);
  if (v > INT64_MAX || v < INT64_MIN) throw new CodecError(CodecErrorKind.Malformed, `cursor ${cursor} is outside int64`);
  return v;
}

/** True when `cursor` is well formed (no throw). */
export function isCursor(cursor: string): boolean {
  try {
    decodeCursor(cursor);
    return true;
  } catch {
    return false;
  }
}

/** Number of log groups between two cursors of one shard (b - a). */
export function cursorDistance(a: string, b: string): bigint {
  return decodeCursor(b) - decodeCursor(a);
}

/** The cursor `n` groups after `cursor`. */
export function addToCursor(cursor: string, n: number | bigint): string {
  return encodeCursor(decodeCursor(cursor) + BigInt(n));
}

export function compareCursors(a: string, b: string): number {
  const x = decodeCursor(a);
  const y = decodeCursor(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
