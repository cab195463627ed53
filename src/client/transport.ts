// One signed HTTP exchange with keep-alive connections and a timeout. No retries here (retry.ts).
// The exchange goes through undici (the HTTP/1.1 client behind Node's own fetch): a Pool per
// connect host, dispatched with a bare handler that collects the body chunks — the idle check (one
// GetCursor per shard per tick) is the scheduler's hot path, and Node's http.request costs more
// CPU per request than this whole path (bench/trigger.ts, docs/benchmarks.md).
import { isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { authorizationV1, md5Hex, type Credentials, type SignableRequest } from '../codec/index.js';
import { codeInfo, SlsServiceError, SlsTransportError, SlsTriggerError } from '../errors/index.js';
import { target, type Endpoint } from './endpoint.js';
import type { SlsRequest, SlsResponse } from './request.js';

export interface TransportOptions {
  readonly endpoint: Endpoint;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly now: () => Date;
  /** kept-alive connections per host at most (default 64) */
  readonly connections?: number;
}

interface Target {
  readonly pool: Pool;
  readonly hostHeader: string;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** undici's raw header list ([name, value, ...] as Buffers) as Node's header object. */
function headerObject(raw: readonly Buffer[] | string[] | null): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  if (!raw) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString().toLowerCase();
    const value = raw[i + 1].toString();
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : `${seen}, ${value}`;
  }
  return out;
}

// Per-request work is kept to what changes per request; the Date string is made once a second.
export class Transport {
  private readonly opts: TransportOptions;
  /** by project (the bare endpoint under '') */
  private readonly targets = new Map<string, Target>();
  /** by origin: an IP endpoint serves every project over one pool */
  private readonly pools = new Map<string, Pool>();
  private dateSecond = NaN;
  private dateText = '';

  constructor(opts: TransportOptions) {
    this.opts = opts;
  }

  close(): void {
    for (const pool of this.pools.values()) void pool.destroy().catch(() => undefined);
    this.pools.clear();
    this.targets.clear();
  }

  private date(): string {
    const now = this.opts.now().getTime();
    const second = Math.floor(now / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateText = new Date(second * 1000).toUTCString();
    }
    return this.dateText;
  }

  /** The pool for the project's connect host (real SLS: project.<endpoint>; an IP endpoint: the IP itself). */
  private target(project: string | undefined): Target {
    const key = project ?? '';
    let t = this.targets.get(key);
    if (!t) {
      const ep = this.opts.endpoint;
      const { connectHost, hostHeader } = target(ep, project);
      const host = isIP(connectHost) === 6 ? `[${connectHost}]` : connectHost;
      const origin = `${ep.protocol}//${host}:${ep.port}`;
      let pool = this.pools.get(origin);
      if (!pool) this.pools.set(origin, (pool = new Pool(origin, { connections: this.opts.connections ?? 64, keepAliveTimeout: 10_000 })));
      this.targets.set(key, (t = { pool, hostHeader }));
    }
    return t;
  }

  /** Builds the wire headers (lowercase names) and signs them. */
  private headers(req: SlsRequest<unknown>, creds: Credentials, hostHeader: string): Record<string, string> {
    const h: Record<string, string> = {
      date: this.date(),
      'x-log-apiversion': '0.6.0',
      'x-log-signaturemethod': 'hmac-sha1',
      'user-agent': this.opts.userAgent,
      host: hostHeader,
    };
    if (req.headers) Object.assign(h, req.headers);
    if (req.body && req.body.length > 0) {
      // A request built once (PutLogs) carries its hash, so retries and resends do not rehash the body.
      h['content-md5'] ??= md5Hex(req.body);
      h['content-length'] = String(req.body.length);
      h['x-log-bodyrawsize'] ??= '0';
    }
    if (creds.securityToken) h['x-acs-security-token'] = creds.securityToken;
    const signable: SignableRequest = { method: req.method, path: req.path, query: req.query ?? [], headers: h };
    h['authorization'] = authorizationV1(signable, creds);
    return h;
  }

  /** `timeoutMs` overrides the transport's timeout for this exchange when shorter. */
  send<T>(req: SlsRequest<T>, creds: Credentials, timeoutMs?: number): Promise<SlsResponse> {
    const timeout = Math.max(1, Math.min(this.opts.timeoutMs, timeoutMs ?? Infinity));
    const { pool, hostHeader } = this.target(req.project);
    let path = req.path;
    const query = req.query ?? [];
    for (let i = 0; i < query.length; i++)
      path += `${i === 0 ? '?' : '&'}${encodeURIComponent(query[i][0])}=${encodeURIComponent(query[i][1])}`;
    const options: Dispatcher.DispatchOptions = {
      path,
      method: req.method,
      headers: this.headers(req, creds, hostHeader),
      body: req.body && req.body.length > 0 ? req.body : undefined,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    };
    return new Promise<SlsResponse>((resolve, reject) => {
      pool.dispatch(options, new Exchange(req.action, this.opts.endpoint, timeout, resolve, reject));
    });
  }
}

/** Collects one answer: status, headers, the body's chunks (one Buffer when the body came in one). */
class Exchange implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly action: string,
    private readonly ep: Endpoint,
    private readonly timeout: number,
    private readonly resolve: (r: SlsResponse) => void,
    private readonly reject: (e: Error) => void,
  ) {}

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.status = statusCode;
    this.headers = headerObject(rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const id = this.headers['x-log-requestid'];
    this.resolve({
      status: this.status,
      headers: this.headers,
      body: this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks),
      requestId: Array.isArray(id) ? id[0] : id,
    });
  }

  onError(e: Error): void {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (e instanceof SlsTriggerError) this.reject(e);
    else if (TIMEOUT_CODES.has(code))
      this.reject(new SlsTransportError('Timeout', `${this.action} timed out after ${this.timeout} ms`, { cause: e }));
    else
      this.reject(
        new SlsTransportError('ConnectionError', `${this.action} to ${this.ep.url}: ${e.message}${refusedHint(this.ep, e)}`, { cause: e }),
      );
  }
}

/** Turns a non-200 answer into the typed error from the shared table (success is exactly 200). */
export function errorFromResponse(action: string, res: SlsResponse): SlsTriggerError {
  let code = 'InternalServerError';
  let message = `${action} failed with HTTP ${res.status}`;
  try {
    const j = JSON.parse(res.body.toString('utf8')) as { errorCode?: string; errorMessage?: string };
    if (j.errorCode) code = j.errorCode;
    if (j.errorMessage) message = j.errorMessage;
  } catch {
    if (res.status < 500)
      return new SlsTransportError('BadResponse', `${message}: ${res.body.subarray(0, 120).toString()}`, {
        requestId: res.requestId,
        httpStatus: res.status,
      });
  }
  const info = codeInfo(code);
  // Unknown codes: retry only server-side failures, never client errors.
  const retriable = info?.retriable ?? res.status >= 500;
  return new SlsServiceError(code, message, { httpStatus: res.status, requestId: res.requestId, retriable });
}

const LOOPBACK = /^(127\.|localhost$|::1$|\[::1\]$)/;

/** A refused loopback endpoint is nearly always a local LogHub that is not running: say what to check. */
function refusedHint(ep: Endpoint, e: Error): string {
  if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED' || !LOOPBACK.test(ep.hostname)) return '';
  return ` (nothing listens on port ${ep.port}: is sls-trigger dev or serve running there?)`;
}
