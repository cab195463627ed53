// The SQL functions SPL's where/extend may call here: name, arity, and what each computes (Presto
// semantics as SLS documents them: 1-based positions, NULL in → NULL out unless said otherwise).
import type { Value } from './ast.js';
import { RowFailure, numeric, regexOf, toText } from './values.js';

export interface SplFunction {
  readonly min: number;
  readonly max: number;
  /** arguments already evaluated; `regex` is a per-call-site cache of compiled patterns */
  readonly run: (args: Value[], regex: (p: string) => RegExp) => Value;
}

const text = (v: Value) => toText(v);
const int = (v: Value): number | null => {
  const n = numeric(v);
  return n === null ? null : Number(n);
};

/** Applies `f` to the arguments as text, or gives NULL when any is NULL. */
function strict(min: number, max: number, f: (a: string[], regex: (p: string) => RegExp) => Value): SplFunction {
  return {
    min,
    max,
    run: (args, regex) => {
      const a: string[] = [];
      for (const v of args) {
        const t = text(v);
        if (t === null) return null;
        a.push(t);
      }
      return f(a, regex);
    },
  };
}

function jsonPath(doc: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new RowFailure(`JSON path must start with $: ${path}`);
  let at: unknown = doc;
  for (const m of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g)) {
    if (at === null || typeof at !== 'object') return undefined;
    const key = m[1] ?? m[3] ?? m[4];
    at = key !== undefined ? (at as Record<string, unknown>)[key] : (at as unknown[])[Number(m[2])];
  }
  return at;
}

function substr(s: string, start: number, length?: number): string {
  const chars = [...s];
  const from = start > 0 ? start - 1 : start < 0 ? chars.length + start : 0;
  if (start === 0 || from < 0 || from >= chars.length) return '';
  return chars.slice(from, length === undefined ? undefined : from + Math.max(0, length)).join('');
}

export const FUNCTIONS: Record<string, SplFunction> = {
  lower: strict(1, 1, ([s]) => s.toLowerCase()),
  upper: strict(1, 1, ([s]) => s.toUpperCase()),
  length: strict(1, 1, ([s]) => BigInt([...s].length)),
  trim: strict(1, 1, ([s]) => s.trim()),
  concat: strict(1, Infinity, (a) => a.join('')),
  substr: {
    min: 2,
    max: 3,
    run: ([s, start, len]) => {
      const str = text(s);
      const from = int(start);
      const n = len === undefined ? undefined : int(len);
      return str === null || from === null || n === null ? null : substr(str, from, n);
    },
  },
  strpos: strict(2, 2, ([s, sub]) => {
    const i = s.indexOf(sub);
    return i < 0 ? 0n : BigInt([...s.slice(0, i)].length + 1);
  }),
  replace: strict(2, 3, ([s, from, to = '']) => (from === '' ? s : s.split(from).join(to))),
  split_part: {
    min: 3,
    max: 3,
    run: ([s, d, i]) => {
      const str = text(s);
      const delim = text(d);
      const index = int(i);
      if (str === null || delim === null || index === null) return null;
      if (index < 1) throw new RowFailure(`split_part index must be positive, got ${index}`);
      return str.split(delim)[index - 1] ?? null;
    },
  },
  regexp_like: strict(2, 2, ([s, p], regex) => regex(p).test(s)),
  regexp_extract: {
    min: 2,
    max: 3,
    run: ([s, p, g], regex) => {
      const str = text(s);
      const pattern = text(p);
      const group = g === undefined ? 0 : int(g);
      if (str === null || pattern === null || group === null) return null;
      const m = regex(pattern).exec(str);
      return m ? (m[group] ?? null) : null;
    },
  },
  json_extract_scalar: strict(2, 2, ([json, path]) => {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch {
      return null;
    }
    const v = jsonPath(doc, path);
    return v === undefined || v === null || typeof v === 'object' ? null : String(v);
  }),
  coalesce: { min: 1, max: Infinity, run: (args) => args.find((v) => v !== null) ?? null },
  if: { min: 2, max: 3, run: ([c, a, b]) => (c === true ? a : (b ?? null)) },
};

/** A compiled pattern per call site: a constant pattern is compiled once, not per row. */
export function regexCache(): (p: string) => RegExp {
  const seen = new Map<string, RegExp>();
  return (p) => {
    let re = seen.get(p);
    if (!re) {
      try {
        re = regexOf(p);
      } catch (e) {
        throw new RowFailure(`bad regular expression ${JSON.stringify(p)}: ${(e as Error).message}`);
      }
      if (seen.size < 64) seen.set(p, re);
    }
    return re;
  };
}
