// SLS cursors: standard base64 (with padding) of the decimal text of a signed 64-bit integer.
// One log group = one integer step; SDKs do arithmetic on them (Go addCursorIfPossible,
// GetPrevCursorTime), so encode/decode must be exact for the whole int64 range.
import { CodecError, CodecErrorKind } from './errors.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
// One spelling per value: no leading zeros, and no "-0" (which would alias cursor 0).
const DECIMAL = /^(0|-?[1-9][0-9]{0,18})$/;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// char code -> 6-bit value, -1 for anything else
const BASE64_VALUE = Int8Array.from({ length: 128 }, (_, c) => BASE64_ALPHABET.indexOf(String.fromCharCode(c)));
const MAX_DIGITS = '9223372036854775807';
const MIN_DIGITS = '9223372036854775808';

export function encodeCursor(value: bigint): string {
  if (value > INT64_MAX || value < INT64_MIN) {
    throw new CodecError(CodecErrorKind.Malformed, `cursor value ${value} is outside int64`);
  }
  return Buffer.from(value.toString(10), 'latin1').toString('base64');
}

/**
 * The decimal text a cursor holds, checked: canonical base64 (padded, unused low bits zero, so no
 * two cursor strings name the same position) of a decimal int64 in its one spelling. Checked by
 * hand, without a base64 round trip or a BigInt: the scheduler compares cursors at every idle
 * check (docs/benchmarks.md).
 */
function cursorText(cursor: string): string {
  const n = typeof cursor === 'string' ? cursor.length : 0;
  const text = n > 0 && n <= 40 && n % 4 === 0 ? base64Latin1(cursor) : undefined;
  if (text === undefined)
    throw new CodecError(CodecErrorKind.Malformed, `cursor ${JSON.stringify(String(cursor).slice(0, 60))} is not valid base64`);
  if (text === null || !DECIMAL.test(text))
    throw new CodecError(CodecErrorKind.Malformed, `cursor ${JSON.stringify(cursor)} does not hold a decimal integer`);
  const digits = text.charCodeAt(0) === 45 ? text.slice(1) : text;
  if (digits.length === 19 && digits > (digits === text ? MAX_DIGITS : MIN_DIGITS))
    throw new CodecError(CodecErrorKind.Malformed, `cursor ${cursor} is outside int64`);
  return text;
}

/** Padded base64 -> latin1 text; undefined when not base64 at all, null when not the canonical spelling. */
function base64Latin1(s: string): string | undefined | null {
  const n = s.length;
  const pad = s.charCodeAt(n - 1) !== 61 ? 0 : s.charCodeAt(n - 2) === 61 ? 2 : 1;
  for (let i = 0; i < n - pad; i++) if (value(s, i) < 0) return undefined;
  // Base64 ignores the unused low bits of the last character: require them zero, so no two
  // cursor strings name the same position.
  const lastValue = value(s, n - pad - 1);
  if ((pad === 2 && (lastValue & 15) !== 0) || (pad === 1 && (lastValue & 3) !== 0)) return null;
  // checked above, so Buffer's lenient decoder sees only canonical base64
  return Buffer.from(s, 'base64').toString('latin1');
}

function value(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? BASE64_VALUE[c] : -1;
}

/** Decodes a cursor; throws CodecError for anything that is not base64 of a decimal int64. */
export function decodeCursor(cursor: string): bigint {
  return BigInt(cursorText(cursor));
}

/** True when `cursor` is well formed (no throw). */
export function isCursor(cursor: string): boolean {
  try {
    cursorText(cursor);
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

/** Orders two cursors of one shard (-1, 0, 1); both are checked as decodeCursor checks them. */
export function compareCursors(a: string, b: string): number {
  const x = cursorText(a);
  if (a === b) return 0;
  return compareDecimals(x, cursorText(b));
}

/** Numeric order of two canonical decimal integers, as text (no BigInt on the idle check). */
function compareDecimals(x: string, y: string): number {
  const xNegative = x.charCodeAt(0) === 45;
  if (xNegative !== (y.charCodeAt(0) === 45)) return xNegative ? -1 : 1;
  const magnitude = x.length !== y.length ? (x.length < y.length ? -1 : 1) : x < y ? -1 : x > y ? 1 : 0;
  return xNegative ? -magnitude : magnitude;
}
