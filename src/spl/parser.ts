// SPL statement: `* | <instruction> | <instruction> ... [;]`. Each instruction's grammar is in
// docs/spl.md; anything else (an instruction or function this engine does not run, a second
// statement) is refused naming it and where it stands — never ignored.
import type { FieldPattern, Instruction, Pipeline } from './ast.js';
import { SplError } from './errors.js';
import { at, fieldName, parseExpr, TokenStream } from './exprParser.js';
import { tokenize, type Token } from './lexer.js';
import { regexOf } from './values.js';

/** Limits of SLS real-time consumption (docs/spl.md, *Limits*). */
export const SPL_LIMITS = { maxLength: 10 * 1024, maxInstructions: 16 } as const;

type Flags = Map<string, { value: string | true; token: Token }>;

/** `-name` or `-name='value'`: the minus and the name written together. */
function parseFlags(s: TokenStream, allowed: readonly string[]): Flags {
  const flags: Flags = new Map();
  while (s.is('-') && s.peek(1).kind === 'ident' && s.peek(1).start === s.peek().end) {
    s.next();
    const name = s.next();
    if (!allowed.includes(name.text))
      throw new SplError(`unknown option -${name.text} (here: ${allowed.map((a) => `-${a}`).join(', ') || 'none'})`, at(name));
    let value: string | true = true;
    if (s.accept('=')) {
      const v = s.next();
      if (v.kind !== 'string') throw s.error(`expected a quoted value for -${name.text}`, v);
      value = v.text;
    }
    flags.set(name.text, { value, token: name });
  }
  return flags;
}

function stringFlag(flags: Flags, name: string, fallback: string): string {
  const f = flags.get(name);
  if (!f) return fallback;
  if (f.value === true) throw new SplError(`-${name} needs a value (-${name}='…')`, at(f.token));
  return f.value;
}

function commaList<T>(s: TokenStream, item: () => T): T[] {
  const out = [item()];
  while (s.accept(',')) out.push(item());
  return out;
}

/** `name = old` or `name` alone: a rename, or a pattern kept. */
function projectItem(s: TokenStream): FieldPattern | readonly [string, string] {
  const name = fieldName(s);
  if (s.accept('=')) return [name, fieldName(s, 'the field to rename')] as const;
  return { pattern: name };
}

function outputs(s: TokenStream): string[] {
  s.expect('as', "'as' and the output field names");
  return commaList(s, () => fieldName(s, 'an output field name'));
}

function stringArg(s: TokenStream, what: string): Token {
  const t = s.next();
  if (t.kind !== 'string') throw s.error(`expected ${what} in single quotes`, t);
  return t;
}

const INSTRUCTIONS: Record<string, (s: TokenStream) => Instruction> = {
  where: (s) => ({ k: 'where', e: parseExpr(s) }),
  extend: (s) => ({
    k: 'extend',
    assigns: commaList(s, () => {
      const name = fieldName(s, 'the field to set');
      s.expect('=', "'=' after the field name");
      return [name, parseExpr(s)] as const;
    }),
  }),
  project: (s) => {
    const wildcard = parseFlags(s, ['wildcard']).has('wildcard');
    const items = commaList(s, () => projectItem(s));
    return {
      k: 'project',
      wildcard,
      keep: items.filter((i): i is FieldPattern => !Array.isArray(i)),
      renames: items.filter((i): i is readonly [string, string] => Array.isArray(i)),
    };
  },
  'project-away': (s) => {
    const wildcard = parseFlags(s, ['wildcard']).has('wildcard');
    return { k: 'project-away', wildcard, remove: commaList(s, () => ({ pattern: fieldName(s) })) };
  },
  'project-rename': (s) => ({
    k: 'project-rename',
    renames: commaList(s, () => {
      const name = fieldName(s, 'the new name');
      s.expect('=', "'=' in new=old");
      return [name, fieldName(s, 'the field to rename')] as const;
    }),
  }),
  'parse-regexp': (s) => {
    const flags = parseFlags(s, ['flags']);
    const field = fieldName(s, 'the field to parse');
    s.expect(',', "',' before the pattern");
    const p = stringArg(s, 'a regular expression');
    let pattern: RegExp;
    try {
      pattern = regexOf(p.text, stringFlag(flags, 'flags', '').replace(/[^ims]/g, ''));
    } catch (e) {
      throw new SplError(`bad regular expression: ${(e as Error).message}`, at(p));
    }
    const names = s.is('as') ? outputs(s) : Object.keys(new RegExp(`${pattern.source}|`).exec('')?.groups ?? {});
    if (names.length === 0) throw new SplError("parse-regexp needs 'as' and output names, or named groups (?<name>…)", at(p));
    return { k: 'parse-regexp', field, pattern, outputs: names };
  },
  'parse-json': (s) => {
    const flags = parseFlags(s, ['prefix', 'path', 'mode']);
    const path = stringFlag(flags, 'path', '$');
    if (!path.startsWith('$')) throw new SplError(`-path must start with $, got '${path}'`, at(flags.get('path')!.token));
    const steps = [...path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
    return { k: 'parse-json', prefix: stringFlag(flags, 'prefix', ''), path: steps, field: fieldName(s, 'the field to parse') };
  },
  'parse-csv': (s) => {
    const flags = parseFlags(s, ['delim', 'quote']);
    const field = fieldName(s, 'the field to parse');
    return { k: 'parse-csv', field, outputs: outputs(s), delim: stringFlag(flags, 'delim', ','), quote: stringFlag(flags, 'quote', '"') };
  },
};

/** An instruction name: words joined by '-' written together (parse-regexp). */
function instructionName(s: TokenStream): Token {
  const first = s.next();
  if (first.kind !== 'ident') throw s.error('expected an instruction', first);
  let text = first.text;
  let end = first.end;
  while (s.is('-') && s.peek().start === end && s.peek(1).kind === 'ident' && s.peek(1).start === s.peek().end) {
    s.next();
    const part = s.next();
    text += `-${part.text}`;
    end = part.end;
  }
  return { ...first, text, end };
}

export function parseSpl(src: string): Pipeline {
  if (src.length > SPL_LIMITS.maxLength) throw new SplError(`the statement is ${src.length} characters; at most ${SPL_LIMITS.maxLength}`);
  const s = new TokenStream(tokenize(src));
  if (!s.accept('*')) throw s.error("an SPL statement starts with '*' (the logstore's data)");
  const instructions: Instruction[] = [];
  while (s.accept('|')) {
    const name = instructionName(s);
    const parse = INSTRUCTIONS[name.text.toLowerCase()];
    if (!parse) throw new SplError(`unsupported instruction '${name.text}' (supported: ${Object.keys(INSTRUCTIONS).join(', ')})`, at(name));
    instructions.push(parse(s));
    if (instructions.length > SPL_LIMITS.maxInstructions)
      throw new SplError(`more than ${SPL_LIMITS.maxInstructions} instructions`, at(name));
  }
  s.accept(';');
  if (s.peek().kind !== 'eof') throw s.error(instructions.length ? "expected '|' or the end" : "expected '|' after '*'");
  return { instructions };
}
