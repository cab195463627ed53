// SPL tokens, each with its position (line and column, 1-based) so every error can say where.
// Strings are single-quoted ('it''s'), field names with special characters double-quoted
// ("a:b"), comments `-- …` to the line's end and `/* … */` (docs/spl.md).
import { SplError } from './errors.js';

export type TokenKind = 'ident' | 'qident' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** the identifier, the unquoted string or field name, the number's text, or the operator */
  readonly text: string;
  readonly line: number;
  readonly column: number;
  /** offsets in the source: [start, end) */
  readonly start: number;
  readonly end: number;
}

const OPERATORS = ['<>', '!=', '<=', '>=', '==', '||', '|', ',', '(', ')', '=', '<', '>', '+', '-', '*', '/', '%', ';', '[', ']'];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

function quoted(src: string, at: number, quote: string, pos: () => { line: number; column: number }): [string, number] {
  let out = '';
  let i = at + 1;
  for (;;) {
    if (i >= src.length) throw new SplError(`unterminated ${quote === "'" ? 'string' : 'field name'}`, pos());
    const ch = src[i];
    if (ch === quote) {
      if (src[i + 1] === quote) {
        out += quote;
        i += 2;
        continue;
      }
      return [out, i + 1];
    }
    out += ch;
    i++;
  }
}

/** Splits `src` into tokens; throws SplError at the first character that starts none. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = () => ({ line, column: i - lineStart + 1 });
  const push = (kind: TokenKind, text: string, start: number, end: number, p: { line: number; column: number }) =>
    tokens.push({ kind, text, start, end, ...p });
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (src.startsWith('--', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) throw new SplError('unterminated comment', pos());
      for (let j = i; j < close; j++)
        if (src[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      i = close + 2;
      continue;
    }
    const p = pos();
    const start = i;
    if (ch === "'" || ch === '"') {
      const [text, end] = quoted(src, i, ch, () => p);
      i = end;
      push(ch === "'" ? 'string' : 'qident', text, start, end, p);
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      i += m[0].length;
      push('number', m[0], start, i, p);
    } else if (IDENT_START.test(ch)) {
      while (i < src.length && IDENT_PART.test(src[i])) i++;
      // __tag__:name is one field name, as SLS writes it
      if (src.slice(start, i) === '__tag__' && src[i] === ':') for (i++; i < src.length && /[A-Za-z0-9_.\-/]/.test(src[i]);) i++;
      push('ident', src.slice(start, i), start, i, p);
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) throw new SplError(`unexpected character ${JSON.stringify(ch)}`, p);
      i += op.length;
      push('op', op, start, i, p);
    }
  }
  tokens.push({ kind: 'eof', text: '', start: i, end: i, ...pos() });
  return tokens;
}
