// One signed HTTP exchange on a kept-alive connection, with a timeout. No retries here (retry.ts).
// The bytes go through wire/connectionPool.ts, not Node's http client: the idle check (one GetCursor
// per shard per tick) is the scheduler's measured hot path (bench/trigger.ts, docs/benchmarks.md).
import { authorizationV1, md5Hex, type Credentials, type SignableRequest } from '../codec/index.js';
import { codeInfo, SlsArgumentError, SlsServiceError, SlsTransportError, SlsTriggerError } from '../errors/index.js';
import { target, type Endpoint } from './endpoint.js';
import type { SlsRequest, SlsResponse } from './request.js';
import { ConnectionPool, type ExchangeFailure } from './wire/connectionPool.js';

export interface TransportOptions {
  readonly endpoint: Endpoint;
  readonly timeoutMs: number;
  readonly userAgent: string;
  /** epoch ms, for the Date header */
  readonly nowMs: () => number;
  /** connections kept per host (default 64) */
  readonly maxSockets?: number;
  /** an idle connection is closed after this long (default 4 000 ms; sooner when the server says so) */
  readonly idleSocketMs?: number;
  /** GET/HEAD exchanges one connection may carry at once when all are busy (default 1: no pipelining) */
  readonly pipelining?: number;
  /** extra trusted CA certificates (PEM) for an https endpoint */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
}

// Node's own rule for header values (_http_common.js checkInvalidHeaderChar): no CR, LF or NUL
// can reach the wire, so a project name or token cannot add a header line.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

// Per-request work is kept to what changes per request; the Date string is made once a second.
export class Transport {
  private readonly pool: ConnectionPool;
  private readonly opts: TransportOptions;
  private readonly targets = new Map<string, { connectHost: string; hostHeader: string; servername: string }>();
  private dateSecond = NaN;
  private dateText = '';

  constructor(opts: TransportOptions) {
    this.opts = opts;
    const ep = opts.endpoint;
    this.pool = new ConnectionPool({
      protocol: ep.protocol,
      port: ep.port,
      maxSockets: opts.maxSockets ?? 64,
      idleSocketMs: opts.idleSocketMs ?? 4000,
      pipelining: opts.pipelining ?? 1,
      ca: opts.ca,
      failure: (f) => failureError(ep, f),
    });
  }

  close(): void {
    this.pool.close();
  }

  private date(): string {
    const now = this.opts.nowMs();
    const second = Math.floor(now / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateText = new Date(second * 1000).toUTCString();
    }
    return this.dateText;
  }

  private target(project: string | undefined) {
    const key = project ?? '';
    let t = this.targets.get(key);
    if (!t) {
      const { connectHost, hostHeader } = target(this.opts.endpoint, project);
      if (INVALID_HEADER_VALUE.test(hostHeader))
        throw new SlsArgumentError(`project ${JSON.stringify(project)} cannot be sent in a Host header`);
      // TLS names the host connected to: "<project>.<host>" for a named endpoint (the SDKs' way, a
      // wildcard certificate covers it), the address itself for an IP or localhost endpoint
      const servername = this.opts.endpoint.direct ? this.opts.endpoint.hostname : connectHost;
      this.targets.set(key, (t = { connectHost, hostHeader, servername }));
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
      h['x-log-bodyrawsize'] ??= '0';
    }
    if (req.method !== 'GET') h['content-length'] = String(req.body?.length ?? 0);
    if (creds.securityToken) h['x-acs-security-token'] = creds.securityToken;
    const signable: SignableRequest = { method: req.method, path: req.path, query: req.query ?? [], headers: h };
    h['authorization'] = authorizationV1(signable, creds);
    return h;
  }

  /** The request line and header fields as they go on the wire. */
  private head(req: SlsRequest<unknown>, creds: Credentials, hostHeader: string): string {
    let path = req.path;
    const query = req.query ?? [];
    for (let i = 0; i < query.length; i++)
      path += `${i === 0 ? '?' : '&'}${encodeURIComponent(query[i][0])}=${encodeURIComponent(query[i][1])}`;
    const h = this.headers(req, creds, hostHeader);
    let head = `${req.method} ${path} HTTP/1.1\r\n`;
    for (const name in h) {
      const value = h[name];
      if (INVALID_HEADER_VALUE.test(value)) throw new SlsArgumentError(`${req.action}: header ${name} holds a character HTTP cannot carry`);
      head += `${name}: ${value}\r\n`;
    }
    return head + '\r\n';
  }

  /** `timeoutMs` overrides the transport's timeout for this exchange when shorter. */
  async send<T>(req: SlsRequest<T>, creds: Credentials, timeoutMs?: number): Promise<SlsResponse> {
    const timeout = Math.max(1, Math.min(this.opts.timeoutMs, timeoutMs ?? Infinity));
    const { connectHost, hostHeader, servername } = this.target(req.project);
    const res = await this.pool.request({
      host: connectHost,
      servername,
      method: req.method,
      head: this.head(req, creds, hostHeader),
      body: req.body,
      timeoutMs: timeout,
      label: req.action,
    });
    return { status: res.status, headers: res.headers, body: res.body, requestId: res.headers['x-log-requestid'] };
  }
}

function failureError(ep: Endpoint, f: ExchangeFailure): SlsTriggerError {
  const action = f.exchange.label;
  if (f.cause instanceof SlsTriggerError) return f.cause;
  if (f.kind === 'timeout') return new SlsTransportError('Timeout', `${action} timed out after ${f.exchange.timeoutMs} ms`);
  const why = f.cause?.message ?? 'connection failed';
  if (f.kind === 'protocol') return new SlsTransportError('BadResponse', `${action} from ${ep.url}: ${why}`, { cause: f.cause });
  return new SlsTransportError('ConnectionError', `${action} to ${ep.url}: ${why}${refusedHint(ep, f.cause)}`, { cause: f.cause });
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
function refusedHint(ep: Endpoint, e: Error | undefined): string {
  if ((e as NodeJS.ErrnoException | undefined)?.code !== 'ECONNREFUSED' || !LOOPBACK.test(ep.hostname)) return '';
  return ` (nothing listens on port ${ep.port}: is sls-trigger dev or serve running there?)`;
}
