// Seeded hostile requests for the embedded LogHub: request i is a pure function of
// (seed, i). Most are signed with the real key so they reach the checks behind authentication.
import net from 'node:net';
import http from 'node:http';
import { deflateSync } from 'node:zlib';
import { authorizationV1, compress, CompressType, md5Hex } from '../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { mutate, randomBytes, rngFor, validLogGroup, type Rnd } from '../fuzz/inputs.js';

export const HOSTILE_PROJECT = 'hostile-proj';
export const HOSTILE_LOGSTORE = 'target';

export interface HostileRequest {
  readonly kind: string;
  /** a PutLogs whose body may still be valid: 200 is a fine answer, and it stores one group */
  readonly mayStore?: boolean;
  /** 200 is a fine answer (a mutation that stayed valid) */
  readonly mayPass?: boolean;
  readonly method: string;
  readonly path: string;
  readonly query: Array<[string, string]>;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** how to sign: 'v1' (valid), or a way to get it wrong */
  readonly auth: 'v1' | 'none' | 'bad-signature' | 'unknown-key' | 'garbage';
  /** raw bytes to send instead of a well-formed HTTP request */
  readonly raw?: (host: string) => Buffer;
}

const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[int(rnd, xs.length)];

const BAD_NAMES = [
  '..',
  '../etc',
  '%2e%2e',
  '%2e%2e%2f%2e%2e',
  '/etc/passwd',
  'a%00b',
  'x'.repeat(300),
  'A-B',
  '-lead',
  'trail-',
  'ok_name/../../x',
  '%252e%252e',
  '.',
  'con',
];
const GARBAGE = ['', 'MTA', '!!!!', 'LTA=', 'MTB=', 'OTIyMzM3MjAzNjg1NDc3NTgwOA==', '%00', 'x'.repeat(500), '-1', '1e9'];
const SILLY_NUMBERS = ['-1', '0', '1e3', '99999999999', 'NaN', '', '1.5', '0x10', ' 5'];

function base(kind: string, method: string, path: string, extra: Partial<HostileRequest> = {}): HostileRequest {
  return { kind, method, path, query: [], headers: {}, body: Buffer.alloc(0), auth: 'v1', ...extra };
}

function protobufPut(rnd: Rnd): HostileRequest {
  const raw = pick(rnd, [
    () => mutate(rnd, validLogGroup(rnd)),
    () => Buffer.from('0000', 'hex'),
    () => randomBytes(rnd, int(rnd, 300)),
    () => validLogGroup(rnd),
  ])();
  const type = pick(rnd, [CompressType.None, CompressType.Lz4, CompressType.Deflate]);
  let body: Buffer = compress(raw, type);
  if (rnd() < 0.3) body = mutate(rnd, body);
  const rawSize = pick(rnd, [String(raw.length), String(raw.length), String(raw.length + 1), '0', '-5', 'abc', String(2 ** 40)]);
  const headers: Record<string, string> = { 'content-type': 'application/x-protobuf', 'x-log-bodyrawsize': rawSize };
  if (type !== CompressType.None) headers['x-log-compresstype'] = type;
  return base('putlogs-body', 'POST', `/logstores/${HOSTILE_LOGSTORE}/shards/lb`, { headers, body, mayStore: true });
}

function bomb(rnd: Rnd): HostileRequest {
  const deflate = rnd() < 0.5;
  const zeros = Buffer.alloc(deflate ? 24 << 20 : 1 << 16);
  const body = deflate ? deflateSync(zeros) : compress(zeros, CompressType.Lz4);
  const headers = {
    'content-type': 'application/x-protobuf',
    'x-log-compresstype': deflate ? 'deflate' : 'lz4',
    'x-log-bodyrawsize': deflate ? String(zeros.length) : String(60 << 20),
  };
  return base('bomb', 'POST', `/logstores/${HOSTILE_LOGSTORE}/shards/lb`, { headers, body });
}

function names(rnd: Rnd): HostileRequest {
  const name = pick(rnd, BAD_NAMES);
  const path = pick(rnd, [
    `/logstores/${name}`,
    `/logstores/${name}/shards`,
    `/logstores/${HOSTILE_LOGSTORE}/shards/${name}?type=cursor&from=begin`,
    `/${name}`,
    `/logstores/${name}/consumergroups`,
  ]);
  const [p, q] = path.split('?');
  return base('names', pick(rnd, ['GET', 'POST', 'PUT', 'DELETE']), p, {
    query: q ? (q.split('&').map((kv) => kv.split('=')) as Array<[string, string]>) : [],
    headers: { 'x-test-project': rnd() < 0.3 ? name : HOSTILE_PROJECT },
  });
}

function cursors(rnd: Rnd): HostileRequest {
  const shard = pick(rnd, ['0', '1', '-1', '99999', '4294967296', '00', 'abc']);
  const type = pick(rnd, ['log', 'cursor', 'cursor_time', 'nope']);
  const query: Array<[string, string]> = [['type', type]];
  if (type === 'log') query.push(['cursor', pick(rnd, GARBAGE)], ['count', pick(rnd, SILLY_NUMBERS)]);
  if (type === 'cursor') query.push(['from', pick(rnd, ['begin', 'end', '-5', 'soon', '1e20', ''])]);
  if (type === 'cursor_time') query.push(['cursor', pick(rnd, GARBAGE)]);
  return base('cursors', 'GET', `/logstores/${HOSTILE_LOGSTORE}/shards/${shard}`, { query, mayPass: true });
}

function groups(rnd: Rnd): HostileRequest {
  const group = pick(rnd, ['missing-group', 'g'.repeat(200), '..', 'ok']);
  const body = pick(rnd, [
    Buffer.from('not json'),
    Buffer.from('[1,2]'),
    Buffer.from('{"consumer":"c","shard":-1}'),
    Buffer.from('{"shard":"x","checkpoint":5}'),
    randomBytes(rnd, 40),
  ]);
  const action = pick(rnd, [
    ['type', 'heartbeat'],
    ['type', 'checkpoint'],
    ['type', 'checkpoint', 'forceSuccess', 'true'],
  ]);
  const query = [[action[0], action[1]], ...(action[2] ? [[action[2], action[3]]] : [['consumer', 'c1']])] as Array<[string, string]>;
  return base('consumer-groups', pick(rnd, ['POST', 'PUT', 'GET']), `/logstores/${HOSTILE_LOGSTORE}/consumergroups/${group}`, {
    query,
    body,
    headers: { 'content-type': 'application/json' },
  });
}

function jsonBodies(rnd: Rnd): HostileRequest {
  const body = pick(rnd, [
    Buffer.from('{'),
    Buffer.from('null'),
    Buffer.from('"x"'),
    Buffer.from('{"logstoreName":5}'),
    Buffer.from('{"logstoreName":"ab","ttl":-1,"shardCount":1e9}'),
    randomBytes(rnd, 64),
  ]);
  return base(
    'json-bodies',
    pick(rnd, ['POST', 'PUT']),
    pick(rnd, ['/logstores', `/logstores/${HOSTILE_LOGSTORE}`, '/logstores/x/consumergroups']),
    { body, headers: { 'content-type': 'application/json' } },
  );
}

function auth(rnd: Rnd): HostileRequest {
  const how = pick(rnd, ['none', 'bad-signature', 'unknown-key', 'garbage'] as const);
  const headers: Record<string, string> = rnd() < 0.3 ? { 'x-drop-date': '1' } : {};
  return base('auth', 'GET', pick(rnd, ['/logstores', `/logstores/${HOSTILE_LOGSTORE}/shards`]), { auth: how, headers });
}

function rawHttp(rnd: Rnd): HostileRequest {
  const variant = int(rnd, 3);
  const raw = (host: string) => {
    if (variant === 0)
      return Buffer.from(
        `POST /logstores/${HOSTILE_LOGSTORE}/shards/lb HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\n\r\nabcdefgh-not-http\r\n\r\n`,
      );
    if (variant === 1) return Buffer.from(`GET /logstores HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    return Buffer.from(
      `GET /logstores HTTP/1.1\r\nHost: ${host}\r\n${Array.from({ length: 3000 }, (_, i) => `x-h${i}: v`).join('\r\n')}\r\n\r\n`,
    );
  };
  return base('raw-http', 'GET', '/', { raw });
}

const MAKERS: ReadonlyArray<[number, (rnd: Rnd) => HostileRequest]> = [
  [30, protobufPut],
  [2, bomb],
  [15, names],
  [15, cursors],
  [12, groups],
  [10, jsonBodies],
  [12, auth],
  [4, rawHttp],
];
const TOTAL = MAKERS.reduce((a, [w]) => a + w, 0);

export function hostileRequest(seed: number, index: number): HostileRequest {
  const rnd = rngFor(seed, 'hostile', index);
  let at = rnd() * TOTAL;
  for (const [w, make] of MAKERS) {
    if ((at -= w) < 0) return make(rnd);
  }
  return MAKERS[0][1](rnd);
}

export interface HostileAnswer {
  readonly status: number;
  readonly body: string;
}

/** Sends one request to `endpoint`; resolves with the answer (status 0 when the server closed without one). */
export function sendHostile(endpoint: string, r: HostileRequest): Promise<HostileAnswer> {
  const url = new URL(endpoint);
  const project = r.headers['x-test-project'] ?? HOSTILE_PROJECT;
  const host = `${project}.${url.host}`;
  if (r.raw) return sendRaw(url, r.raw(host));
  const headers: Record<string, string> = { host, 'x-log-apiversion': '0.6.0', 'x-log-signaturemethod': 'hmac-sha1', ...r.headers };
  delete headers['x-test-project'];
  if (!headers['x-drop-date']) headers.date = new Date().toUTCString();
  delete headers['x-drop-date'];
  if (r.body.length > 0) {
    headers['content-md5'] = md5Hex(r.body);
    headers['content-length'] = String(r.body.length);
    headers['x-log-bodyrawsize'] ??= String(r.body.length);
  }
  const key = r.auth === 'unknown-key' ? { accessKeyId: 'nobody', accessKeySecret: 'x' } : DEFAULT_ACCESS_KEY;
  if (r.auth !== 'none') {
    const auth = authorizationV1({ method: r.method, path: decodeURIComponentSafe(r.path), query: r.query, headers }, key);
    headers.authorization = r.auth === 'bad-signature' ? auth.slice(0, -4) + 'AAAA' : r.auth === 'garbage' ? 'LOG' : auth;
  }
  const qs = r.query.map(([k, v]) => `${k}=${encodeURIComponent(v ?? '')}`).join('&');
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: r.method, path: r.path + (qs ? `?${qs}` : ''), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(r.body);
  });
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function sendRaw(url: URL, bytes: Buffer): Promise<HostileAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.end(bytes);
  });
}
