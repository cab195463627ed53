// The raw LZ4 block codec (SLS's lz4: no frame, no size prefix): the native addon when it built,
// lz4's pure-JS codec otherwise. Every block's structure is checked before either decodes it: the
// JS decoder does not enforce the format's end rules, and the native one (lz4 1.9.2) takes a match
// offset of 0, which copies whatever the output buffer held before (a pooled buffer: bytes of an
// earlier request). So both accept exactly the well-formed blocks, and no output byte is unwritten.
//   sequence = token (literal length << 4 | match length - 4), [literal length ext: 255*, <255],
//              literals, offset (u16 LE, 1..bytes written), [match length ext]
//   end rules: the last sequence is literals only and ends the input exactly; no match starts in
//              the last 12 bytes of output (MFLIMIT) nor reaches into the last 5 (LASTLITERALS).
import { createRequire } from 'node:module';
// Imported statically so a bundled function (sls-trigger build) carries the pure-JS codec and can
// fall back to it where the native addon is absent (FC's runtime has no node_modules of ours).
import lz4JsBinding from 'lz4/lib/binding.js';
import { CodecError, CodecErrorKind } from './errors.js';

export interface Lz4Binding {
  compress(input: Buffer, output: Buffer): number;
  uncompress(input: Buffer, output: Buffer): number;
  compressBound(size: number): number;
}

/** Which LZ4 implementation is active: the native addon, or lz4's pure-JS fallback when the addon did not build. */
export type Lz4Implementation = 'native' | 'js';

const MFLIMIT = 12;
const LASTLITERALS = 5;

function loadNative(): Lz4Binding | undefined {
  try {
    return createRequire(import.meta.url)('lz4/build/Release/lz4.node') as Lz4Binding;
  } catch {
    return undefined;
  }
}

export const nativeLz4: Lz4Binding | undefined = loadNative();
export const jsLz4 = lz4JsBinding as unknown as Lz4Binding;
// SLS_TRIGGER_LZ4=js runs the pure-JS codec although the addon is there: what a project without the
// native build gets (bench/readpath.ts --lz4 js measures it). Read once, at load.
const forceJs = process.env.SLS_TRIGGER_LZ4 === 'js';
export const activeLz4: Lz4Binding = forceJs ? jsLz4 : (nativeLz4 ?? jsLz4);
/** The active LZ4 codec; `sls-trigger --version` and the benchmarks print it. */
export const lz4Implementation: Lz4Implementation = activeLz4 === nativeLz4 ? 'native' : 'js';

/**
 * Offset of the first fault in the block's sequence structure for an output of `rawSize`, or -1.
 * Walks tokens and lengths only (literals are skipped), so it costs a fraction of the decode.
 */
export function lz4BlockFault(input: Uint8Array, rawSize: number): number {
  const end = input.length;
  let p = 0;
  let out = 0;
  while (p < end) {
    const token = input[p++];
    let literals = token >>> 4;
    if (literals === 15) {
      let b = 255;
      while (b === 255) {
        if (p >= end) return p;
        b = input[p++];
        literals += b;
      }
    }
    if (p + literals > end) return p;
    p += literals;
    out += literals;
    if (p === end) return out === rawSize ? -1 : p; // the last sequence: literals only
    // not the last sequence: a match must follow, with room for it and the last literals after it
    if (out > rawSize - MFLIMIT || p > end - (2 + 1 + LASTLITERALS)) return p;
    const offset = input[p] | (input[p + 1] << 8);
    if (offset === 0 || offset > out) return p;
    p += 2;
    let match = (token & 15) + 4;
    if (match === 19) {
      let b = 255;
      while (b === 255) {
        if (p >= end) return p;
        b = input[p++];
        match += b;
      }
    }
    out += match;
    if (out > rawSize - LASTLITERALS) return p;
  }
  return rawSize === 0 ? -1 : p;
}

/** Decodes one block of exactly `out.length` bytes with `binding`; throws CodecError otherwise. */
export function decodeLz4Block(binding: Lz4Binding, input: Buffer, out: Buffer): Buffer {
  const fault = lz4BlockFault(input, out.length);
  if (fault >= 0) throw new CodecError(CodecErrorKind.Malformed, 'corrupt lz4 block', fault);
  let n: number;
  try {
    n = binding.uncompress(input, out);
  } catch (e) {
    throw new CodecError(CodecErrorKind.Malformed, 'corrupt lz4 block', undefined, { cause: e });
  }
  if (n < 0) throw new CodecError(CodecErrorKind.Malformed, 'corrupt lz4 block', -n);
  if (n !== out.length) throw new CodecError(CodecErrorKind.Malformed, `lz4 block decoded to ${n} bytes, expected ${out.length}`);
  return out;
}
