// Hash keys: the 128-bit MD5 space written as 32 lowercase hex digits. A shard owns the half-open
// range [inclusiveBeginKey, exclusiveEndKey). Because every key has the same length and case,
// string comparison equals numeric comparison. The top of the space: SLS's last shard ends at
// ffffffffffffffffffffffffffffffff; we treat that end as covering the key ff..ff itself so every
// key has a shard (docs/protocol-notes.md).
import { createHash } from 'node:crypto';
import { CodecError, CodecErrorKind } from './errors.js';

export const HASH_KEY_MIN = '00000000000000000000000000000000';
export const HASH_KEY_MAX = 'ffffffffffffffffffffffffffffffff';
const SPACE = 1n << 128n;
const HEX32 = /^[0-9a-f]{32}$/;

export interface KeyRange {
  readonly inclusiveBeginKey: string;
  readonly exclusiveEndKey: string;
}

export function isHashKey(key: string): boolean {
  return typeof key === 'string' && HEX32.test(key);
}

/** Normalises user input (any case) to a 32-digit lowercase key, or throws. */
export function normalizeHashKey(key: string): string {
  const k = String(key).trim().toLowerCase();
  if (!HEX32.test(k)) throw new CodecError(CodecErrorKind.Malformed, `hash key ${JSON.stringify(key)} is not 32 hex digits`);
  return k;
}

export function hashKeyToBigInt(key: string): bigint {
  return BigInt('0x' + normalizeHashKey(key));
}

export function bigIntToHashKey(v: bigint): string {
  if (v < 0n) throw new CodecError(CodecErrorKind.Malformed, 'negative hash key');
  if (v >= SPACE) return HASH_KEY_MAX;
  return v.toString(16).padStart(32, '0');
}

/** MD5 of a routing string, as producers derive hash keys. */
export function hashKeyOf(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function rangeContains(range: KeyRange, key: string): boolean {
  if (key < range.inclusiveBeginKey) return false;
  return key < range.exclusiveEndKey || (range.exclusiveEndKey === HASH_KEY_MAX && key === HASH_KEY_MAX);
}

/** The midpoint of a range (the default split point). */
export function midpoint(range: KeyRange): string {
  const b = hashKeyToBigInt(range.inclusiveBeginKey);
  const e = range.exclusiveEndKey === HASH_KEY_MAX ? SPACE : hashKeyToBigInt(range.exclusiveEndKey);
  return bigIntToHashKey((b + e) / 2n);
}

/** Splits the whole key space into `n` equal ranges, as CreateLogStore does. */
export function evenRanges(n: number): KeyRange[] {
  if (!Number.isInteger(n) || n < 1) throw new CodecError(CodecErrorKind.Malformed, `shard count ${n} must be a positive integer`);
  const out: KeyRange[] = [];
  for (let i = 0; i < n; i++) {
    const b = (SPACE * BigInt(i)) / BigInt(n);
    const e = (SPACE * BigInt(i + 1)) / BigInt(n);
    out.push({ inclusiveBeginKey: bigIntToHashKey(b), exclusiveEndKey: i === n - 1 ? HASH_KEY_MAX : bigIntToHashKey(e) });
  }
  return out;
}

/** True when `key` lies strictly inside the range (a valid split point). */
export function isInteriorKey(range: KeyRange, key: string): boolean {
  return key > range.inclusiveBeginKey && key < range.exclusiveEndKey;
}
