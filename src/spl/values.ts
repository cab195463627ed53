// Value rules, as in SLS: every field is text (VARCHAR) until cast; BIGINT and DOUBLE come from
// literals, arithmetic and CAST; NULL is a missing field or a failed lookup and makes comparisons
// NULL (so `where` drops the row). A row whose expression cannot be computed (a CAST of 'abc' to
// bigint, a division by zero) fails: it is dropped and counted in x-log-failedlines.
import type { CastType, Value } from './ast.js';

/** Evaluation of one row failed; the row is dropped and counted as failed. */
export class RowFailure extends Error {}

const INTEGER = /^\s*[+-]?[0-9]+\s*$/;
const DECIMAL = /^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$/;

/** How a value is written into a field (and what CAST(x AS varchar) gives). */
export function toText(v: Value): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(1) : String(v);
  return String(v);
}

export function cast(v: Value, type: CastType): Value {
  if (v === null) return null;
  switch (type) {
    case 'varchar':
      return toText(v);
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        if (s === 'true' || s === 'false') return s === 'true';
        throw new RowFailure(`cannot cast '${v}' to boolean`);
      }
      return Number(v) !== 0;
    case 'bigint':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return BigInt(Math.round(v));
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (!INTEGER.test(v)) throw new RowFailure(`cannot cast '${v}' to bigint`);
      return BigInt(v.trim());
    case 'double':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (!DECIMAL.test(v)) throw new RowFailure(`cannot cast '${v}' to double`);
      return Number(v);
  }
}

/** A number from text for a comparison or arithmetic against a number; NULL when the text is not one. */
export function numeric(v: Value): bigint | number | null {
  if (v === null) return null;
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (INTEGER.test(v)) return BigInt(v.trim());
  return DECIMAL.test(v) ? Number(v) : null;
}

/** -1, 0, 1, or null (NULL involved, or text that is not a number compared with a number). */
export function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = numeric(a);
  const y = numeric(b);
  if (x === null || y === null) return null;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  const fx = Number(x);
  const fy = Number(y);
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

export function arithmetic(op: string, a: Value, b: Value): Value {
  const x = numeric(a);
  const y = numeric(b);
  if (x === null || y === null) return null;
  if (typeof x === 'bigint' && typeof y === 'bigint') {
    if ((op === '/' || op === '%') && y === 0n) throw new RowFailure('division by zero');
    return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  }
  const fx = Number(x);
  const fy = Number(y);
  return op === '+' ? fx + fy : op === '-' ? fx - fy : op === '*' ? fx * fy : op === '/' ? fx / fy : fx % fy;
}

/** A SQL LIKE pattern (% any run, _ one character) as an anchored regular expression. */
export function likePattern(p: string): RegExp {
  let re = '';
  for (const ch of p) re += ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 'u');
}

/** RE2 named groups (?P<name>…) as JavaScript writes them. */
export function regexOf(pattern: string, flags = ''): RegExp {
  return new RegExp(pattern.replace(/\(\?P</g, '(?<'), flags.includes('u') ? flags : `${flags}u`);
}
