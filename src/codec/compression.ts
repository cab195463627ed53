// Body compression as SLS uses it.
//   x-log-compresstype: lz4     -> raw LZ4 *block* (no frame, no size prefix); x-log-bodyrawsize = raw length
//   x-log-compresstype: deflate -> zlib stream (RFC 1950), not raw deflate, not gzip
//   x-log-compresstype: zstd    -> zstd frame (decompression only here: no well-kept pure/prebuilt
//                                  zstd *encoder* installs on a fresh machine; see docs/protocol-notes.md)
// Every decompression is capped (maxRawSize) before any output is allocated, so a small body that
// declares or expands to a huge size is refused (decompression bombs).
import { deflateSync, inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { CodecError, CodecErrorKind } from './errors.js';
import { activeLz4, decodeLz4Block } from './lz4Block.js';

export { lz4Implementation, type Lz4Implementation } from './lz4Block.js';

export const CompressType = {
  None: 'none',
  Lz4: 'lz4',
  Deflate: 'deflate',
  Zstd: 'zstd',
} as const;
export type CompressType = (typeof CompressType)[keyof typeof CompressType];

/** Default cap on a declared or actual raw size: 64 MiB, well above SLS's 10 MB PutLogs limit. */
export const DEFAULT_MAX_RAW_SIZE = 64 * 1024 * 1024;

export function parseCompressType(header: string | undefined | null): CompressType {
  const v = (header ?? '').trim().toLowerCase();
  if (v === '' || v === 'none') return CompressType.None;
  if (v === 'lz4') return CompressType.Lz4;
  if (v === 'deflate' || v === 'gzip') return CompressType.Deflate; // the Python SDK reads gzip as zlib too
  if (v === 'zstd') return CompressType.Zstd;
  throw new CodecError(CodecErrorKind.Unsupported, `x-log-compresstype ${header} is unsupported`);
}

export function compress(raw: Uint8Array, type: CompressType): Buffer {
  const input = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (type) {
    case CompressType.None:
      return input;
    case CompressType.Lz4: {
      if (input.length === 0) return Buffer.alloc(0);
      const out = Buffer.allocUnsafe(activeLz4.compressBound(input.length));
      const n = activeLz4.compress(input, out);
      if (n <= 0) throw new CodecError(CodecErrorKind.Malformed, 'lz4 compression failed');
      return out.subarray(0, n);
    }
    case CompressType.Deflate:
      return deflateSync(input);
    case CompressType.Zstd:
      throw new CodecError(CodecErrorKind.Unsupported, 'zstd compression is not available; use lz4 or deflate');
  }
}

/** Where an lz4 output of a known size goes; a server passes its buffer pool's `acquire`. */
export type OutputAllocator = (size: number) => Buffer;

/**
 * Decompresses a body. `rawSize` is the x-log-bodyrawsize value: required for lz4 (the block
 * format does not carry it), checked for the others when given. lz4 output comes from `alloc`
 * (deflate and zstd size their own output).
 */
export function decompress(
  body: Uint8Array,
  type: CompressType,
  rawSize: number | undefined,
  maxRawSize: number = DEFAULT_MAX_RAW_SIZE,
  alloc: OutputAllocator = Buffer.allocUnsafe,
): Buffer {
  const input = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (rawSize !== undefined) {
    if (!Number.isSafeInteger(rawSize) || rawSize < 0) {
      throw new CodecError(CodecErrorKind.Malformed, `invalid raw size ${rawSize}`);
    }
    if (rawSize > maxRawSize) {
      throw new CodecError(CodecErrorKind.TooLarge, `declared raw size ${rawSize} exceeds the limit ${maxRawSize}`);
    }
  }
  let out: Buffer;
  switch (type) {
    case CompressType.None:
      out = input;
      break;
    case CompressType.Lz4:
      out = lz4Decompress(input, rawSize, alloc);
      break;
    case CompressType.Deflate:
      out = inflate(input, maxRawSize);
      break;
    case CompressType.Zstd:
      out = zstd(input, rawSize, maxRawSize);
      break;
  }
  if (rawSize !== undefined && type !== CompressType.None && out.length !== rawSize) {
    throw new CodecError(CodecErrorKind.Malformed, `decompressed ${out.length} bytes, header declared ${rawSize}`);
  }
  if (out.length > maxRawSize) {
    throw new CodecError(CodecErrorKind.TooLarge, `raw size ${out.length} exceeds the limit ${maxRawSize}`);
  }
  return out;
}

function lz4Decompress(input: Buffer, rawSize: number | undefined, alloc: OutputAllocator): Buffer {
  if (rawSize === undefined) throw new CodecError(CodecErrorKind.Malformed, 'lz4 body without x-log-bodyrawsize');
  if (rawSize === 0) {
    if (input.length > 1) throw new CodecError(CodecErrorKind.Malformed, 'lz4 body for raw size 0 is not empty');
    return Buffer.alloc(0);
  }
  return decodeLz4Block(activeLz4, input, alloc(rawSize));
}

function inflate(input: Buffer, maxRawSize: number): Buffer {
  try {
    return inflateSync(input, { maxOutputLength: Math.max(1, maxRawSize) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const kind = code === 'ERR_BUFFER_TOO_LARGE' ? CodecErrorKind.TooLarge : CodecErrorKind.Malformed;
    throw new CodecError(kind, `deflate body: ${(e as Error).message}`, undefined, { cause: e });
  }
}

function zstd(input: Buffer, rawSize: number | undefined, maxRawSize: number): Buffer {
  // fzstd writes into a caller buffer when given one, which bounds the output.
  const target = new Uint8Array(rawSize ?? maxRawSize);
  try {
    const out = zstdDecompress(input, target);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new CodecError(CodecErrorKind.Malformed, `zstd body: ${(e as Error).message}`, undefined, { cause: e });
  }
}
