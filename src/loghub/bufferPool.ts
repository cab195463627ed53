// Reused request and decompression buffers for the PutLogs path. Every PutLogs body and its
// decompressed LogGroup used to be a fresh ArrayBuffer; V8 counts those bytes as external memory
// and answers the churn with full mark-compact collections (the largest single CPU cost of ingest
// in bench/loghub). Buffers here are reused by power-of-two size class instead.
//
// Contract: a buffer is released only when nothing refers to it any more (the store's append has
// settled: stores never keep the buffers they are given). Callers see exact-length views; a view's
// bytes beyond what the caller filled are never exposed because every user fills its whole view.

export interface BufferPoolOptions {
  /** smallest pooled size; smaller requests get plain buffers (Node's own slab serves the smallest) */
  readonly minBytes?: number;
  /** largest pooled size; larger requests get plain buffers */
  readonly maxBytes?: number;
  /** free buffers kept per size class */
  readonly perClass?: number;
  /** free bytes kept in all, so a burst of large bodies does not pin memory for good */
  readonly maxRetainedBytes?: number;
}

export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private readonly minBytes: number;
  private readonly maxBytes: number;
  private readonly perClass: number;
  private readonly maxRetainedBytes: number;
  private retained = 0;

  constructor(opts: BufferPoolOptions = {}) {
    this.minBytes = opts.minBytes ?? 64 * 1024;
    this.maxBytes = opts.maxBytes ?? 16 * 1024 * 1024;
    this.perClass = opts.perClass ?? 8;
    this.maxRetainedBytes = opts.maxRetainedBytes ?? 64 * 1024 * 1024;
  }

  /** Bytes held in free buffers (for tests and diagnostics). */
  get retainedBytes(): number {
    return this.retained;
  }

  private sizeClass(n: number): number | undefined {
    if (n < this.minBytes || n > this.maxBytes) return undefined;
    return 2 ** Math.ceil(Math.log2(n));
  }

  /** A buffer of exactly `n` bytes (contents undefined: the caller fills all of it). */
  acquire(n: number): Buffer {
    const cls = this.sizeClass(n);
    if (cls === undefined) return Buffer.allocUnsafe(n);
    const reused = this.free.get(cls)?.pop();
    if (reused) this.retained -= cls;
    return Buffer.from(reused ?? new ArrayBuffer(cls), 0, n);
  }

  /** Returns a buffer from `acquire` (or any buffer: those that do not fit a class are dropped). */
  release(buf: Buffer): void {
    const ab = buf.buffer;
    if (!(ab instanceof ArrayBuffer) || buf.byteOffset !== 0) return;
    const cls = this.sizeClass(ab.byteLength);
    if (cls === undefined || cls !== ab.byteLength) return;
    let list = this.free.get(cls);
    if (!list) this.free.set(cls, (list = []));
    if (list.length >= this.perClass || this.retained + cls > this.maxRetainedBytes || list.includes(ab)) return;
    list.push(ab);
    this.retained += cls;
  }
}
