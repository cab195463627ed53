// SPL: parse a statement once, run it over decoded log groups, encode the result as a PullLogs body.
// Pure (no I/O): the LogHub's PullLogs runs it (loghub/actions/pullLogs.ts); docs/spl.md is the reference.
import { encodeLogGroup, type FastLogGroup } from '../codec/index.js';
import { compileSpl, resultGroup, type CompiledSpl, type SplOutcome } from './engine.js';
import { parseSpl } from './parser.js';

export { SplError, type SplPosition } from './errors.js';
export { parseSpl, SPL_LIMITS } from './parser.js';
export { compileSpl, type CompiledSpl, type SplOutcome } from './engine.js';
export type { Pipeline, Instruction, Expr, Value } from './ast.js';

/** Statements compiled by their text (a consumer sends the same one with every pull). */
export function splCache(max = 64): (src: string) => CompiledSpl {
  const seen = new Map<string, CompiledSpl>();
  return (src) => {
    let c = seen.get(src);
    if (!c) {
      c = compileSpl(parseSpl(src));
      if (seen.size >= max) seen.delete(seen.keys().next().value!);
      seen.set(src, c);
    }
    return c;
  };
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/**
 * The result as a LogGroupList. A group every row of which came through unchanged is copied as
 * its original bytes; the others are encoded from their rows.
 */
export function encodeSplResult(outcome: SplOutcome): Buffer {
  const parts: Buffer[] = [];
  for (const g of outcome.groups) {
    const whole = g.rows.length === g.source.logCount && g.rows.every((r) => r.fields === undefined);
    const bytes = whole ? g.source.bytes() : Buffer.from(encodeLogGroup(resultGroup(g)));
    parts.push(Buffer.from([0x0a, ...varint(bytes.length)]), bytes);
  }
  return Buffer.concat(parts);
}

/** Runs `spl` over `groups`: the result body and the before/after counts. */
export function runSpl(spl: CompiledSpl, groups: readonly FastLogGroup[]): SplOutcome & { body: Buffer } {
  const outcome = spl.run(groups);
  return { ...outcome, body: encodeSplResult(outcome) };
}
