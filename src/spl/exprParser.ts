// Recursive descent over SLS's SQL expression subset, lowest precedence first:
// OR < AND < NOT < comparison (= <> != < <= > >=, [NOT] LIKE / IN / BETWEEN, IS [NOT] NULL)
// < || < + - < * / % < unary - < primary (literal, field, call, CAST, CASE, parentheses).
import type { CastType, Expr, Value } from './ast.js';
import { SplError, type SplPosition } from './errors.js';
import type { Token } from './lexer.js';
import { FUNCTIONS } from './functions.js';

const CAST_TYPES: Record<string, CastType> = {
  bigint: 'bigint',
  integer: 'bigint',
  int: 'bigint',
  double: 'double',
  real: 'double',
  varchar: 'varchar',
  boolean: 'boolean',
};
const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '<=', '>', '>=']);

export class TokenStream {
  private i = 0;
  constructor(readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }
  next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  /** the next token is the keyword (case-insensitive) or operator `text` */
  is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return (t.kind === 'op' && t.text === text) || (t.kind === 'ident' && t.text.toLowerCase() === text);
  }
  accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.next();
    return true;
  }
  expect(text: string, what = `'${text}'`): Token {
    if (!this.is(text)) throw this.error(`expected ${what}`);
    return this.next();
  }
  error(reason: string, t: Token = this.peek()): SplError {
    const found = t.kind === 'eof' ? 'the end' : t.kind === 'string' ? `'${t.text}'` : t.kind === 'qident' ? `"${t.text}"` : `'${t.text}'`;
    return new SplError(`${reason}, found ${found}`, at(t));
  }
}

export const at = (t: Token): SplPosition => ({ line: t.line, column: t.column });

/** A field name: a plain identifier or a double-quoted name. */
export function fieldName(s: TokenStream, what = 'a field name'): string {
  const t = s.peek();
  if (t.kind !== 'ident' && t.kind !== 'qident') throw s.error(`expected ${what}`);
  return s.next().text;
}

export function parseExpr(s: TokenStream): Expr {
  let l = parseAnd(s);
  while (s.accept('or')) l = { k: 'or', l, r: parseAnd(s) };
  return l;
}

function parseAnd(s: TokenStream): Expr {
  let l = parseNot(s);
  while (s.accept('and')) l = { k: 'and', l, r: parseNot(s) };
  return l;
}

function parseNot(s: TokenStream): Expr {
  if (s.accept('not')) return { k: 'not', e: parseNot(s) };
  return parseComparison(s);
}

function parseComparison(s: TokenStream): Expr {
  const e = parseConcat(s);
  const t = s.peek();
  if (t.kind === 'op' && COMPARISONS.has(t.text)) {
    s.next();
    const op = t.text === '==' ? '=' : t.text === '!=' ? '<>' : t.text;
    return { k: 'bin', op, l: e, r: parseConcat(s) };
  }
  if (s.is('is')) {
    s.next();
    const not = s.accept('not');
    s.expect('null', "'null' after IS");
    return { k: 'isnull', e, not };
  }
  const not = s.is('not') && (s.is('like', 1) || s.is('in', 1) || s.is('between', 1)) ? (s.next(), true) : false;
  if (s.accept('like')) return { k: 'like', e, pattern: parseConcat(s), not };
  if (s.accept('in')) {
    s.expect('(', "'(' after IN");
    const list = [parseExpr(s)];
    while (s.accept(',')) list.push(parseExpr(s));
    s.expect(')', "')' closing the IN list");
    return { k: 'in', e, list, not };
  }
  if (s.accept('between')) {
    const lo = parseConcat(s);
    s.expect('and', "'and' in BETWEEN");
    return { k: 'between', e, lo, hi: parseConcat(s), not };
  }
  if (not) throw s.error('expected LIKE, IN or BETWEEN after NOT');
  return e;
}

function parseConcat(s: TokenStream): Expr {
  let l = parseAdditive(s);
  while (s.accept('||')) l = { k: 'call', name: 'concat', args: [l, parseAdditive(s)], at: { line: 0, column: 0 } };
  return l;
}

function parseAdditive(s: TokenStream): Expr {
  let l = parseMultiplicative(s);
  while (s.is('+') || s.is('-')) l = { k: 'bin', op: s.next().text, l, r: parseMultiplicative(s) };
  return l;
}

function parseMultiplicative(s: TokenStream): Expr {
  let l = parseUnary(s);
  while (s.is('*') || s.is('/') || s.is('%')) l = { k: 'bin', op: s.next().text, l, r: parseUnary(s) };
  return l;
}

function parseUnary(s: TokenStream): Expr {
  if (s.accept('-')) return { k: 'neg', e: parseUnary(s) };
  if (s.accept('+')) return parseUnary(s);
  return parsePrimary(s);
}

function numberValue(text: string): Value {
  return /^[0-9]+$/.test(text) ? BigInt(text) : Number(text);
}

function parsePrimary(s: TokenStream): Expr {
  const t = s.peek();
  if (t.kind === 'number') return (s.next(), { k: 'lit', v: numberValue(t.text) });
  if (t.kind === 'string') return (s.next(), { k: 'lit', v: t.text });
  if (t.kind === 'qident') return (s.next(), { k: 'field', name: t.text });
  if (s.accept('(')) {
    const e = parseExpr(s);
    s.expect(')', "')'");
    return e;
  }
  if (t.kind !== 'ident') throw s.error('expected an expression');
  const word = t.text.toLowerCase();
  if (word === 'null' || word === 'true' || word === 'false') return (s.next(), { k: 'lit', v: word === 'null' ? null : word === 'true' });
  if (word === 'cast' && s.is('(', 1)) return parseCast(s);
  if (word === 'case') return parseCase(s);
  if (s.is('(', 1)) return parseCall(s);
  return (s.next(), { k: 'field', name: t.text });
}

function parseCast(s: TokenStream): Expr {
  s.next();
  s.expect('(');
  const e = parseExpr(s);
  s.expect('as', "'as' in CAST");
  const t = s.next();
  const type = CAST_TYPES[t.text.toLowerCase()];
  if (t.kind !== 'ident' || !type)
    throw new SplError(`unsupported type '${t.text}' in CAST (supported: bigint, double, varchar, boolean)`, at(t));
  s.expect(')', "')' closing CAST");
  return { k: 'cast', e, type };
}

function parseCase(s: TokenStream): Expr {
  s.next();
  const base = s.is('when') ? undefined : parseExpr(s);
  const whens: [Expr, Expr][] = [];
  while (s.accept('when')) {
    const cond = parseExpr(s);
    s.expect('then', "'then'");
    whens.push([cond, parseExpr(s)]);
  }
  if (whens.length === 0) throw s.error("expected 'when' in CASE");
  const otherwise = s.accept('else') ? parseExpr(s) : undefined;
  s.expect('end', "'end' closing CASE");
  return { k: 'case', ...(base ? { base } : {}), whens, ...(otherwise ? { otherwise } : {}) };
}

function parseCall(s: TokenStream): Expr {
  const t = s.next();
  const name = t.text.toLowerCase();
  const fn = FUNCTIONS[name];
  if (!fn) throw new SplError(`unsupported function '${t.text}' (docs/spl.md lists the supported ones)`, at(t));
  s.expect('(');
  const args: Expr[] = [];
  if (!s.is(')')) {
    args.push(parseExpr(s));
    while (s.accept(',')) args.push(parseExpr(s));
  }
  s.expect(')', `')' closing ${name}(`);
  if (args.length < fn.min || args.length > fn.max)
    throw new SplError(
      `${name}() takes ${fn.min === fn.max ? fn.min : fn.max === Infinity ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`} argument(s), got ${args.length}`,
      at(t),
    );
  return { k: 'call', name, args, at: at(t) };
}
