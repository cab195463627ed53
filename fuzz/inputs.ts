// Deterministic fuzz inputs: input i of a campaign is a pure function of (seed, target, i), so the
// driver can rebuild any input a worker hung or failed on from its index alone.
import { compress, CompressType, encodeCursor } from '../src/codec/index.js';
import { seededRandom } from '../src/sample/nginx.js';

export type Rnd = () => number;

export function rngFor(seed: number, target: string, index: number): Rnd {
  let h = seed >>> 0;
  for (const c of target) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return seededRandom((h ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
}

const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const chance = (rnd: Rnd, p: number) => rnd() < p;

/** A varint, sometimes spelled with extra (legal, overlong) continuation bytes. */
function varint(rnd: Rnd, n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  if (chance(rnd, 0.05)) {
    const extra = 1 + int(rnd, 3);
    out[out.length - 1] |= 0x80;
    for (let i = 1; i < extra; i++) out.push(0x80);
    out.push(0x00);
  }
  return out.length > 10 ? varint(() => 1, n) : out;
}

function field(rnd: Rnd, num: number, wire: number, payload: number[]): number[] {
  const tag = varint(rnd, (num << 3) | wire);
  return wire === 2 ? [...tag, ...varint(rnd, payload.length), ...payload] : [...tag, ...payload];
}

const ALPHABET = ['a', 'status', '200', ' ', 'é', '中', '😀', '\u0000', 'GET /index.html', '__tag__'];

function text(rnd: Rnd): number[] {
  if (chance(rnd, 0.08)) return [...Buffer.from('x'.repeat(100 + int(rnd, 300)))];
  let s = '';
  for (let n = int(rnd, 6); n > 0; n--) s += ALPHABET[int(rnd, ALPHABET.length)];
  return [...Buffer.from(s, 'utf8')];
}

/** An unknown field of any supported wire type (protobuf requires skipping them). */
function unknownField(rnd: Rnd): number[] {
  const num = 7 + int(rnd, 20);
  const wire = [0, 1, 2, 5][int(rnd, 4)];
  if (wire === 0) return field(rnd, num, 0, varint(rnd, int(rnd, 1 << 20)));
  if (wire === 1)
    return field(
      rnd,
      num,
      1,
      Array.from({ length: 8 }, () => int(rnd, 256)),
    );
  if (wire === 5)
    return field(
      rnd,
      num,
      5,
      Array.from({ length: 4 }, () => int(rnd, 256)),
    );
  return field(rnd, num, 2, text(rnd));
}

function keyValue(rnd: Rnd): number[] {
  const parts = [field(rnd, 1, 2, text(rnd)), field(rnd, 2, 2, text(rnd))];
  if (chance(rnd, 0.1)) parts.reverse();
  if (chance(rnd, 0.05)) parts.push(unknownField(rnd));
  return parts.flat();
}

function log(rnd: Rnd): number[] {
  const parts: number[][] = [field(rnd, 1, 0, varint(rnd, int(rnd, 0x100000000)))];
  for (let n = int(rnd, 6); n > 0; n--) parts.push(field(rnd, 2, 2, keyValue(rnd)));
  if (chance(rnd, 0.3))
    parts.push(
      field(
        rnd,
        4,
        5,
        Array.from({ length: 4 }, () => int(rnd, 256)),
      ),
    );
  if (chance(rnd, 0.05)) parts.push(unknownField(rnd));
  if (chance(rnd, 0.1)) parts.push(parts.shift() as number[]); // Time last
  return parts.flat();
}

/** A valid LogGroup in a random but legal spelling (field order, overlong varints, unknown fields). */
export function validLogGroup(rnd: Rnd): Buffer {
  const parts: number[][] = [];
  for (let n = int(rnd, 5); n > 0; n--) parts.push(field(rnd, 1, 2, log(rnd)));
  for (const num of [2, 3, 4, 5]) if (chance(rnd, 0.3)) parts.push(field(rnd, num, 2, text(rnd)));
  for (let n = int(rnd, 3); n > 0; n--) parts.push(field(rnd, 6, 2, keyValue(rnd)));
  if (chance(rnd, 0.05)) parts.push(unknownField(rnd));
  if (chance(rnd, 0.2)) parts.reverse();
  return Buffer.from(parts.flat());
}

export function validLogGroupList(rnd: Rnd): Buffer {
  const parts: number[][] = [];
  for (let n = int(rnd, 4); n > 0; n--) parts.push(field(rnd, 1, 2, [...validLogGroup(rnd)]));
  return Buffer.from(parts.flat());
}

/** 0–3 mutations: flip, insert, delete, cut, splice a random run, duplicate a run. */
export function mutate(rnd: Rnd, input: Buffer): Buffer {
  let b = input;
  for (let n = int(rnd, 4); n > 0; n--) {
    const at = int(rnd, b.length + 1);
    switch (int(rnd, 6)) {
      case 0:
        if (b.length > 0) (b = Buffer.from(b))[at % b.length] = int(rnd, 256);
        break;
      case 1:
        b = Buffer.concat([b.subarray(0, at), Buffer.from([int(rnd, 256)]), b.subarray(at)]);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(rnd, 4))]);
        break;
      case 3:
        b = b.subarray(0, at);
        break;
      case 4:
        b = Buffer.concat([b.subarray(0, at), randomBytes(rnd, 1 + int(rnd, 8)), b.subarray(at)]);
        break;
      default:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + int(rnd, 16)), b.subarray(at)]);
    }
  }
  return b;
}

export function randomBytes(rnd: Rnd, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = int(rnd, 256);
  return b;
}

/** A protobuf input: 10% random bytes, otherwise a valid encoding with 0–3 mutations. */
export function protobufInput(rnd: Rnd, valid: (rnd: Rnd) => Buffer): Buffer {
  if (chance(rnd, 0.1)) return randomBytes(rnd, int(rnd, 200));
  return mutate(rnd, valid(rnd));
}

export interface CompressedInput {
  readonly type: CompressType;
  readonly body: Buffer;
  readonly rawSize: number | undefined;
}

export function compressedInput(rnd: Rnd): CompressedInput {
  const type = [CompressType.Lz4, CompressType.Deflate, CompressType.Zstd][int(rnd, 3)];
  const raw = chance(rnd, 0.5) ? validLogGroupList(rnd) : Buffer.alloc(int(rnd, 4096), int(rnd, 3));
  // No zstd encoder installs here: zstd inputs are random frames with zstd's magic number.
  const valid =
    type === CompressType.Zstd
      ? Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), randomBytes(rnd, int(rnd, 64))])
      : compress(raw, type);
  const body = chance(rnd, 0.1) ? randomBytes(rnd, int(rnd, 300)) : mutate(rnd, valid);
  const sizes = [raw.length, raw.length + 1 + int(rnd, 10), int(rnd, raw.length + 1), 1 << (10 + int(rnd, 20)), undefined];
  const rawSize = sizes[int(rnd, sizes.length)];
  return { type, body, rawSize: type === CompressType.Lz4 && rawSize === undefined ? raw.length : rawSize };
}

export function cursorInput(rnd: Rnd): string {
  const canonical = encodeCursor(
    BigInt.asIntN(64, BigInt(int(rnd, 2 ** 52)) * BigInt(int(rnd, 4096) + 1) - BigInt(int(rnd, 2) ? 2 ** 62 : 0)),
  );
  switch (int(rnd, 5)) {
    case 0:
      return canonical;
    case 1:
      return Buffer.from(String(int(rnd, 1000) - 500).padStart(int(rnd, 4), '0')).toString('base64');
    case 2:
      return mutate(rnd, Buffer.from(canonical)).toString('latin1');
    case 3:
      return Buffer.from(['-0', '+1', ' 1', '1e3', '0x10', '١', '9223372036854775808', '-9223372036854775809'][int(rnd, 8)]).toString(
        'base64',
      );
    default:
      return randomBytes(rnd, int(rnd, 24)).toString(int(rnd, 2) ? 'base64' : 'latin1');
  }
}

const eventTemplate = {
  source: { endpoint: 'http://127.0.0.1:1', projectName: 'p', logstoreName: 'l', shardId: 0, beginCursor: 'MTA=', endCursor: 'MjA=' },
  parameter: {},
  jobName: 'a'.repeat(40),
  taskId: '00000000-0000-5000-8000-000000000000',
  cursorTime: 1700000000,
};
const ODD_VALUES: unknown[] = [null, -1, 1.5, '', 'x', [], {}, true, 2 ** 53, 'LTA=', 'MQ==', '=====', Number.MAX_SAFE_INTEGER];

/** An event: the template with fields removed, replaced by odd values, or its JSON text mutated. */
export function eventInput(rnd: Rnd): unknown {
  const e = JSON.parse(JSON.stringify(eventTemplate)) as Record<string, Record<string, unknown>>;
  for (let n = int(rnd, 3); n > 0; n--) {
    const source = e.source;
    const obj = chance(rnd, 0.6) && typeof source === 'object' && source !== null && !Array.isArray(source) ? source : e;
    const keys = Object.keys(obj);
    const key = keys[int(rnd, keys.length)];
    if (chance(rnd, 0.3)) delete obj[key];
    else obj[key] = structuredClone(ODD_VALUES[int(rnd, ODD_VALUES.length)]) as never; // a copy: inputs share nothing
  }
  if (chance(rnd, 0.3)) return mutate(rnd, Buffer.from(JSON.stringify(e)));
  return chance(rnd, 0.5) ? JSON.stringify(e) : e;
}

const SPL_PIECES = [
  '*',
  '|',
  ' ',
  ',',
  '(',
  ')',
  '=',
  '<>',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '||',
  ';',
  "'",
  '"',
  'where',
  'extend',
  'project',
  'project-away',
  'project-rename',
  'parse-json',
  'parse-csv',
  'parse-regexp',
  'stats',
  '-wildcard',
  '-prefix=',
  "'p_'",
  'and',
  'or',
  'not',
  'like',
  'in',
  'between',
  'is',
  'null',
  'true',
  'false',
  'as',
  'case',
  'when',
  'then',
  'else',
  'end',
  'cast',
  'bigint',
  'double',
  'varchar',
  'status',
  'n',
  'body',
  '__topic__',
  '__time__',
  '"__tag__:host"',
  "'5%'",
  "'500'",
  '42',
  '3.5',
  '0',
  'lower',
  'concat',
  'substr',
  'strpos',
  'split_part',
  'regexp_like',
  'regexp_extract',
  'json_extract_scalar',
  'coalesce',
  'if',
  "'(\\d+)'",
  "'$.a'",
  '--',
  '/*',
  '*/',
  '\n',
  'é',
  '\u0000',
];
const SPL_SEEDS = [
  "* | where status = '500'",
  "* | where cast(n as bigint) between 1 and 3 or status like '5%'",
  "* | extend x = concat(status, '-', lower(body)) | project x, status",
  "* | parse-json -prefix='j_' body | project-away body",
  '* | parse-csv body as a, b | project-rename c=a',
  "* | parse-regexp body, '(\\d+)' as num | where num is not null",
  "* | where case when n > 1 then true else false end and json_extract_scalar(body, '$.a') = '1'",
];

/** An SPL statement: a seed statement mutated (pieces inserted, characters cut or swapped), or pieces strung together. */
export function splInput(rnd: Rnd): string {
  if (chance(rnd, 0.3))
    return Array.from({ length: 1 + int(rnd, 20) }, () => SPL_PIECES[int(rnd, SPL_PIECES.length)]).join(chance(rnd, 0.5) ? ' ' : '');
  let s = SPL_SEEDS[int(rnd, SPL_SEEDS.length)];
  for (let k = int(rnd, 4); k > 0; k--) {
    const at = int(rnd, s.length + 1);
    const op = int(rnd, 3);
    if (op === 0) s = s.slice(0, at) + SPL_PIECES[int(rnd, SPL_PIECES.length)] + s.slice(at);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + 1 + int(rnd, 5));
    else s = s.slice(0, at) + String.fromCharCode(32 + int(rnd, 95)) + s.slice(at + 1);
  }
  return s;
}
