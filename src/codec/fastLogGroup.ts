// Lazy views over decoded log groups (filled by fastDecode.ts). One FieldTable per decode call holds
// every log's time and every field's (key id, value byte range) in typed arrays; a FastLogGroup is a
// window onto it. Values are made into strings only when read.
import type { Log, LogContent, LogGroup, LogTag } from './types.js';

const FIELD_STRIDE = 3; // keyId, valueStart, valueEnd
const NON_ASCII = /[^\x00-\x7f]/;
const TEXT_CHUNK_BITS = 14;
const TEXT_CHUNK = 1 << TEXT_CHUNK_BITS;

function grow<T extends Int32Array | Float64Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class FieldTable {
  readonly buf: Buffer;
  readonly keys: string[] = [];
  private keyStart: number[] = [];
  private keyEnd: number[] = [];
  fields: Int32Array;
  fieldCount = 0;
  times = new Float64Array(256);
  /** index of each log's first field; one extra slot holds the end of the last log */
  logFieldStart = new Int32Array(257);
  timeNs: Float64Array | undefined;
  logCount = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
    // Typical logs spend 30+ bytes a field: sized so a page rarely regrows, without zeroing much.
    this.fields = new Int32Array(Math.max(1024, buf.length >>> 5) * FIELD_STRIDE);
  }

  addKey(key: string, start = -1, stop = -1): number {
    this.keys.push(key);
    this.keyStart.push(start);
    this.keyEnd.push(stop);
    return this.keys.length - 1;
  }

  keyEquals(id: number, start: number, stop: number): boolean {
    const s = this.keyStart[id];
    if (s < 0 || this.keyEnd[id] - s !== stop - start) return false;
    const buf = this.buf;
    for (let i = 0; i < stop - start; i++) if (buf[s + i] !== buf[start + i]) return false;
    return true;
  }

  addField(keyId: number, vStart: number, vEnd: number): void {
    const i = this.fieldCount * FIELD_STRIDE;
    if (i + FIELD_STRIDE > this.fields.length) this.fields = grow(this.fields, i + FIELD_STRIDE, (n) => new Int32Array(n));
    this.fields[i] = keyId;
    this.fields[i + 1] = vStart;
    this.fields[i + 2] = vEnd;
    this.fieldCount++;
  }

  beginLog(): number {
    const n = this.logCount;
    if (n + 2 > this.logFieldStart.length) this.logFieldStart = grow(this.logFieldStart, n + 2, (k) => new Int32Array(k));
    this.logFieldStart[n] = this.fieldCount;
    return n;
  }

  endLog(time: number): void {
    const n = this.logCount;
    if (n + 1 > this.times.length) this.times = grow(this.times, n + 1, (k) => new Float64Array(k));
    this.times[n] = time;
    this.logCount = n + 1;
    this.logFieldStart[n + 1] = this.fieldCount;
  }

  setTimeNs(log: number, v: number): void {
    if (this.timeNs === undefined) this.timeNs = new Float64Array(Math.max(256, this.times.length)).fill(-1);
    if (log + 1 > this.timeNs.length) this.timeNs = grow(this.timeNs, log + 1, (k) => new Float64Array(k).fill(-1));
    this.timeNs[log] = v;
  }
}

export interface GroupLayout {
  byteStart: number;
  byteEnd: number;
  firstLog: number;
  endLog?: number;
  logTags: LogTag[];
  reserved?: string;
  topic?: string;
  source?: string;
  machineUUID?: string;
}

/** One decoded log group. Log indexes are 0-based within the group. */
export class FastLogGroup {
  readonly topic: string | undefined;
  readonly source: string | undefined;
  readonly reserved: string | undefined;
  readonly machineUUID: string | undefined;
  readonly logTags: readonly LogTag[];
  readonly logCount: number;
  private readonly table: FieldTable;
  private readonly first: number;
  private readonly byteStart: number;
  private readonly byteEnd: number;
  /** the group's bytes as latin1 text in TEXT_CHUNK pieces, made when a value in them is first read */
  private text: string[] | undefined;

  constructor(table: FieldTable, layout: GroupLayout) {
    this.table = table;
    this.first = layout.firstLog;
    this.logCount = (layout.endLog ?? layout.firstLog) - layout.firstLog;
    this.byteStart = layout.byteStart;
    this.byteEnd = layout.byteEnd;
    this.topic = layout.topic;
    this.source = layout.source;
    this.reserved = layout.reserved;
    this.machineUUID = layout.machineUUID;
    this.logTags = layout.logTags;
  }

  /** Size of this group's uncompressed protobuf bytes (what ingestBytes counts). */
  get byteLength(): number {
    return this.byteEnd - this.byteStart;
  }

  /** The group's raw protobuf bytes (a view, not a copy). */
  bytes(): Buffer {
    return this.table.buf.subarray(this.byteStart, this.byteEnd);
  }

  time(log: number): number {
    return this.table.times[this.first + log];
  }

  timeNs(log: number): number | undefined {
    const t = this.table.timeNs;
    if (t === undefined) return undefined;
    const v = t[this.first + log];
    return v < 0 || v === undefined ? undefined : v;
  }

  fieldCount(log: number): number {
    const s = this.table.logFieldStart;
    return s[this.first + log + 1] - s[this.first + log];
  }

  /** Index into the table of field `field` of log `log`. */
  private fieldIndex(log: number, field: number): number {
    return (this.table.logFieldStart[this.first + log] + field) * FIELD_STRIDE;
  }

  key(log: number, field: number): string {
    return this.table.keys[this.table.fields[this.fieldIndex(log, field)]];
  }

  value(log: number, field: number): string {
    const i = this.fieldIndex(log, field);
    const f = this.table.fields;
    return this.slice(f[i + 1], f[i + 2]);
  }

  private slice(start: number, stop: number): string {
    // Latin1 text of the group's bytes (bytes map 1:1 to chars) in pieces of TEXT_CHUNK; a substring
    // of a piece is O(1) in V8 and is the right answer whenever the value is ASCII, which the regex
    // (native, compiled) tells. Pieces, not one string per group: V8 makes a string of a whole
    // group (~450 KB) at ~200 MB/s against ~5 GB/s for 16 KB ones (large-object space), which
    // was the read path's largest cost (bench/readpath.ts, docs/benchmarks.md).
    const piece = (start - this.byteStart) >>> TEXT_CHUNK_BITS;
    const pieceStart = this.byteStart + piece * TEXT_CHUNK;
    const buf = this.table.buf;
    let sub: string;
    if (stop - pieceStart <= TEXT_CHUNK) {
      const pieces = (this.text ??= []);
      const text = (pieces[piece] ??= buf.toString('latin1', pieceStart, Math.min(this.byteEnd, pieceStart + TEXT_CHUNK)));
      sub = text.substring(start - pieceStart, stop - pieceStart);
    } else {
      sub = buf.toString('latin1', start, stop); // a value across two pieces
    }
    return NON_ASCII.test(sub) ? buf.toString('utf8', start, stop) : sub;
  }

  /** Materialises log `log` as a plain object. */
  log(log: number): Log {
    const n = this.fieldCount(log);
    const contents: LogContent[] = new Array(n);
    for (let j = 0; j < n; j++) contents[j] = { key: this.key(log, j), value: this.value(log, j) };
    const out: Log = { time: this.time(log), contents };
    const ns = this.timeNs(log);
    if (ns !== undefined) out.timeNs = ns;
    return out;
  }

  toLogGroup(): LogGroup {
    const logs: Log[] = new Array(this.logCount);
    for (let i = 0; i < this.logCount; i++) logs[i] = this.log(i);
    const g: LogGroup = { logs, logTags: this.logTags.map((t) => ({ key: t.key, value: t.value })) };
    if (this.reserved !== undefined) g.reserved = this.reserved;
    if (this.topic !== undefined) g.topic = this.topic;
    if (this.source !== undefined) g.source = this.source;
    if (this.machineUUID !== undefined) g.machineUUID = this.machineUUID;
    return g;
  }
}
