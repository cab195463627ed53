// SLS request signatures.
// v1:  Authorization: LOG <akid>:base64(HMAC-SHA1|SHA256(secret,
//        VERB\nContent-MD5\nContent-Type\nDate\n + sorted "x-log-*|x-acs-*:value\n" + resource))
//      resource = path [+ "?" + sorted "k=v" joined by "&"], values not URL-encoded.
//      x-log-signaturemethod: hmac-sha1 (default) | hmac-sha256 (@alicloud/sls20201230).
// v4:  Authorization: SLS4-HMAC-SHA256 Credential=<ak>/<yyyymmdd>/<region>/sls/aliyun_v4_request,Signature=<hex>
//      canonical = VERB\npath\nsorted k=pct(v)\nheaders\nsignedHeaders\nx-log-content-sha256
//      key = HMAC chain "aliyun_v4"+secret -> date -> region -> "sls" -> "aliyun_v4_request".
// Sources: docs/protocol-notes.md (aliyun-log-python-sdk auth.py/util.py, @alicloud/log client.js).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Header names must be lowercase. Values as they go on the wire. */
export type HeaderMap = Readonly<Record<string, string>>;
/** Query parameters, decoded; `undefined` = a key sent without "=" (v1 writes it as "k="). */
export type QueryPairs = ReadonlyArray<readonly [string, string | undefined]>;

export interface SignableRequest {
  readonly method: string;
  /** URL-decoded path without query, e.g. /logstores/ls/shards/0 */
  readonly path: string;
  readonly query: QueryPairs;
  readonly headers: HeaderMap;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function md5Hex(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex').toUpperCase();
}

export function sha256Hex(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

export interface V1Options {
  /** include x-log-date in the canonical headers (no SDK does; the Python SDK sends it unsigned) */
  readonly signXLogDate?: boolean;
  /** sort query pairs as "k=v" strings (what @alicloud/log does) instead of by key */
  readonly sortPairStrings?: boolean;
  /** leave x-log-meta-* out (what the Python SDK does) */
  readonly skipMetaHeaders?: boolean;
}

// Loops rather than filter/map/sort chains: every request is signed, and the idle check is the
// scheduler's hot path (docs/benchmarks.md).
function canonicalHeadersV1(headers: HeaderMap, opts: V1Options): string {
  const names: string[] = [];
  for (const n in headers) {
    if (!(n.startsWith('x-log-') || n.startsWith('x-acs-'))) continue;
    if ((n === 'x-log-date' && !opts.signXLogDate) || (opts.skipMetaHeaders && n.startsWith('x-log-meta-'))) continue;
    insertSorted(names, n, (name) => name);
  }
  let out = '';
  for (const n of names) out += `${n}:${String(headers[n]).trim()}\n`;
  return out;
}

/**
 * Adds `item` to `list`, kept sorted by `key`, after any equal keys (stable). No Array.sort: it
 * copies, and a request has a handful of headers and parameters.
 */
function insertSorted<T>(list: T[], item: T, key: (t: T) => string): void {
  const k = key(item);
  let i = list.length;
  list.push(item);
  for (; i > 0 && key(list[i - 1]) > k; i--) list[i] = list[i - 1];
  list[i] = item;
}

export function canonicalResourceV1(path: string, query: QueryPairs, sortPairStrings = false): string {
  if (query.length === 0) return path;
  // by the "k=v" string (what @alicloud/log does) or by key, stable
  const sorted: (readonly [string, string | undefined])[] = [];
  const pairText = (p: readonly [string, string | undefined]) => `${p[0]}=${p[1] ?? ''}`;
  for (const pair of query) insertSorted(sorted, pair, sortPairStrings ? pairText : (p) => p[0]);
  let out = `${path}?${pairText(sorted[0])}`;
  for (let i = 1; i < sorted.length; i++) out += `&${pairText(sorted[i])}`;
  return out;
}

export function stringToSignV1(req: SignableRequest, opts: V1Options = {}): string {
  const h = req.headers;
  const date = h['date'] ?? h['x-log-date'] ?? '';
  return (
    `${req.method.toUpperCase()}\n${h['content-md5'] ?? ''}\n${h['content-type'] ?? ''}\n${date}\n` +
    canonicalHeadersV1(h, opts) +
    canonicalResourceV1(req.path, req.query, opts.sortPairStrings)
  );
}

function macAlgorithm(headers: HeaderMap): 'sha1' | 'sha256' {
  return (headers['x-log-signaturemethod'] ?? '').trim().toLowerCase() === 'hmac-sha256' ? 'sha256' : 'sha1';
}

export function signatureV1(req: SignableRequest, secret: string, opts: V1Options = {}): string {
  return createHmac(macAlgorithm(req.headers), secret).update(stringToSignV1(req, opts), 'utf8').digest('base64');
}

/** The Authorization header value for a v1 request. */
export function authorizationV1(req: SignableRequest, creds: Credentials): string {
  return `LOG ${creds.accessKeyId}:${signatureV1(req, creds.accessKeySecret)}`;
}

// ---- v4 ----

/** Percent-encoding used by the v4 canonical query (Python auth.py url_encode: RFC 3986 plus ~ -> %7E). */
export function v4Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function canonicalRequestV4(req: SignableRequest, payloadHash: string): { canonical: string; signedHeaders: string } {
  const h = req.headers;
  const names = Object.keys(h)
    .filter((n) => n === 'content-type' || n === 'host' || n.startsWith('x-log-') || n.startsWith('x-acs-'))
    .sort();
  let headerLines = '';
  for (const n of names) headerLines += `${n}:${String(h[n]).trim()}\n`;
  const signedHeaders = names.join(';');
  const q = req.query
    .map(([k, v]) => [v4Encode(k), v ? v4Encode(v) : ''] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => (v ? `${k}=${v}` : k))
    .join('&');
  const canonical = `${req.method.toUpperCase()}\n${req.path}\n${q}\n${headerLines}\n${signedHeaders}\n${payloadHash}`;
  return { canonical, signedHeaders };
}

function v4Key(secret: string, date: string, region: string): Buffer {
  let k = createHmac('sha256', 'aliyun_v4' + secret)
    .update(date)
    .digest();
  k = createHmac('sha256', k).update(region).digest();
  k = createHmac('sha256', k).update('sls').digest();
  return createHmac('sha256', k).update('aliyun_v4_request').digest();
}

export function signatureV4(req: SignableRequest, secret: string, region: string): string {
  const h = req.headers;
  const xLogDate = h['x-log-date'] ?? '';
  const date = xLogDate.slice(0, 8);
  const scope = `${date}/${region}/sls/aliyun_v4_request`;
  const { canonical } = canonicalRequestV4(req, h['x-log-content-sha256'] ?? EMPTY_SHA256);
  const sts = `SLS4-HMAC-SHA256\n${xLogDate}\n${scope}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', v4Key(secret, date, region))
    .update(sts)
    .digest('hex');
}

export function authorizationV4(req: SignableRequest, creds: Credentials, region: string): string {
  const date = (req.headers['x-log-date'] ?? '').slice(0, 8);
  const sig = signatureV4(req, creds.accessKeySecret, region);
  return `SLS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${date}/${region}/sls/aliyun_v4_request,Signature=${sig}`;
}

/** Formats a Date as SLS v4's x-log-date (yyyyMMddTHHmmssZ). */
export function v4Date(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// ---- parsing and constant-time comparison (used by the server-side verifier) ----

export type ParsedAuthorization =
  | { readonly version: 1; readonly accessKeyId: string; readonly signature: string }
  | { readonly version: 4; readonly accessKeyId: string; readonly date: string; readonly region: string; readonly signature: string };

export function parseAuthorization(value: string | undefined): ParsedAuthorization | undefined {
  if (!value) return undefined;
  const v1 = /^LOG ([^:\s]+):(\S*)$/.exec(value.trim());
  if (v1) return { version: 1, accessKeyId: v1[1], signature: v1[2] };
  const v4 = /^SLS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/sls\/aliyun_v4_request\s*,\s*Signature=([0-9a-fA-F]+)$/.exec(
    value.trim(),
  );
  if (v4) return { version: 4, accessKeyId: v4[1], date: v4[2], region: v4[3], signature: v4[4].toLowerCase() };
  return undefined;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The v1 string variants real clients are known to sign (docs/protocol-notes.md):
 * plain (x-log-date excluded), Python (x-log-meta-* excluded), @alicloud/log pair-string order,
 * and a signer that did include x-log-date.
 */
export const V1_VARIANTS: readonly V1Options[] = [{}, { skipMetaHeaders: true }, { sortPairStrings: true }, { signXLogDate: true }];

export function verifyV1(req: SignableRequest, secret: string, signature: string): boolean {
  const seen = new Set<string>();
  for (const opts of V1_VARIANTS) {
    const s = stringToSignV1(req, opts);
    if (seen.has(s)) continue;
    seen.add(s);
    const mac = createHmac(macAlgorithm(req.headers), secret).update(s, 'utf8').digest('base64');
    if (safeEqual(mac, signature)) return true;
  }
  return false;
}

export function verifyV4(req: SignableRequest, secret: string, parsed: Extract<ParsedAuthorization, { version: 4 }>): boolean {
  if ((req.headers['x-log-date'] ?? '').slice(0, 8) !== parsed.date) return false;
  return safeEqual(signatureV4(req, secret, parsed.region), parsed.signature);
}

/** Splits a raw request target into the decoded path and decoded query pairs (form encoding: + is space). */
export function parseRequestTarget(target: string): { path: string; query: Array<[string, string | undefined]> } {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const query: Array<[string, string | undefined]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeForm(eq < 0 ? part : part.slice(0, eq));
    query.push([k, eq < 0 ? undefined : decodeForm(part.slice(eq + 1))]);
  }
  return { path: safeDecode(rawPath), query };
}

function decodeForm(s: string): string {
  return safeDecode(s.replace(/\+/g, ' '));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
