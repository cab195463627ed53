// Expressions compiled once per statement into closures over a row: no tree walk per log, constant
// regular expressions and LIKE patterns built once.
import type { Expr, Value } from './ast.js';
import { FUNCTIONS, regexCache } from './functions.js';
import { arithmetic, cast, compare, likePattern, toText } from './values.js';

/** What an expression reads: a field's text, or null when the row has no such field. */
export interface FieldSource {
  get(name: string): string | null;
}

export type Compiled = (row: FieldSource) => Value;

const truth = (v: Value): boolean | null => (v === null ? null : v === true ? true : v === false ? false : null);

function comparison(op: string, l: Compiled, r: Compiled): Compiled {
  const test: (c: number) => boolean =
    op === '='
      ? (c) => c === 0
      : op === '<>'
        ? (c) => c !== 0
        : op === '<'
          ? (c) => c < 0
          : op === '<='
            ? (c) => c <= 0
            : op === '>'
              ? (c) => c > 0
              : (c) => c >= 0;
  return (row) => {
    const c = compare(l(row), r(row));
    return c === null ? null : test(c);
  };
}

function like(e: Expr & { k: 'like' }): Compiled {
  const subject = compileExpr(e.e);
  const negate = e.not;
  if (e.pattern.k === 'lit' && typeof e.pattern.v === 'string') {
    const re = likePattern(e.pattern.v);
    return (row) => {
      const s = toText(subject(row));
      return s === null ? null : re.test(s) !== negate;
    };
  }
  const pattern = compileExpr(e.pattern);
  return (row) => {
    const s = toText(subject(row));
    const p = toText(pattern(row));
    return s === null || p === null ? null : likePattern(p).test(s) !== negate;
  };
}

function caseOf(e: Expr & { k: 'case' }): Compiled {
  const base = e.base && compileExpr(e.base);
  const whens = e.whens.map(([c, v]) => [compileExpr(c), compileExpr(v)] as const);
  const otherwise = e.otherwise ? compileExpr(e.otherwise) : () => null;
  return (row) => {
    const b = base?.(row);
    for (const [c, v] of whens) if (base ? compare(b!, c(row)) === 0 : c(row) === true) return v(row);
    return otherwise(row);
  };
}

function andOr(e: Expr & { k: 'and' | 'or' }): Compiled {
  const l = compileExpr(e.l);
  const r = compileExpr(e.r);
  // three-valued logic: false AND NULL is false, true OR NULL is true
  if (e.k === 'and')
    return (row) => {
      const a = truth(l(row));
      if (a === false) return false;
      const b = truth(r(row));
      return b === false ? false : a === null || b === null ? null : true;
    };
  return (row) => {
    const a = truth(l(row));
    if (a === true) return true;
    const b = truth(r(row));
    return b === true ? true : a === null || b === null ? null : false;
  };
}

export function compileExpr(e: Expr): Compiled {
  switch (e.k) {
    case 'lit': {
      const v = e.v;
      return () => v;
    }
    case 'field': {
      const name = e.name;
      return (row) => row.get(name);
    }
    case 'bin': {
      const l = compileExpr(e.l);
      const r = compileExpr(e.r);
      if (['+', '-', '*', '/', '%'].includes(e.op)) return (row) => arithmetic(e.op, l(row), r(row));
      return comparison(e.op, l, r);
    }
    case 'and':
    case 'or':
      return andOr(e);
    case 'not': {
      const inner = compileExpr(e.e);
      return (row) => {
        const v = truth(inner(row));
        return v === null ? null : !v;
      };
    }
    case 'neg': {
      const inner = compileExpr(e.e);
      return (row) => arithmetic('-', 0n, inner(row));
    }
    case 'call': {
      const fn = FUNCTIONS[e.name];
      const args = e.args.map(compileExpr);
      const regex = regexCache();
      return (row) =>
        fn.run(
          args.map((a) => a(row)),
          regex,
        );
    }
    case 'cast': {
      const inner = compileExpr(e.e);
      return (row) => cast(inner(row), e.type);
    }
    case 'like':
      return like(e);
    case 'in': {
      const subject = compileExpr(e.e);
      const list = e.list.map(compileExpr);
      return (row) => {
        const v = subject(row);
        if (v === null) return null;
        let unknown = false;
        for (const item of list) {
          const c = compare(v, item(row));
          if (c === 0) return !e.not;
          if (c === null) unknown = true;
        }
        return unknown ? null : e.not;
      };
    }
    case 'between': {
      const [s, lo, hi] = [compileExpr(e.e), compileExpr(e.lo), compileExpr(e.hi)];
      return (row) => {
        const v = s(row);
        const a = compare(v, lo(row));
        const b = compare(v, hi(row));
        return a === null || b === null ? null : (a >= 0 && b <= 0) !== e.not;
      };
    }
    case 'isnull': {
      const inner = compileExpr(e.e);
      return (row) => (inner(row) === null) !== e.not;
    }
    case 'case':
      return caseOf(e);
  }
}
