// One signed HTTP exchange with keep-alive connections and a timeout. No retries here (retry.ts).
import http from 'node:http';
import https from 'node:https';
import { authorizationV1, md5Hex, type Credentials, type SignableRequest } from '../codec/index.js';
import { codeInfo, SlsServiceError, SlsTransportError, SlsTriggerError } from '../errors/index.js';
import { target, type Endpoint } from './endpoint.js';
import type { SlsRequest, SlsResponse } from './request.js';

export interface TransportOptions {
  readonly endpoint: Endpoint;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly now: () => Date;
}

// The idle check (one GetCursor per shard per tick) is the scheduler's hot path (bench/trigger):
// per-request work here is kept to what changes per request; the Date string is made once a second.
export class Transport {
  private readonly agent: http.Agent;
  private readonly opts: TransportOptions;
  private readonly targets = new Map<string, { connectHost: string; hostHeader: string }>();
  private dateSecond = NaN;
  private dateText = '';

  constructor(opts: TransportOptions) {
    this.opts = opts;
    const agentOpts = { keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 };
    this.agent = opts.endpoint.protocol === 'https:' ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
  }

  close(): void {
    this.agent.destroy();
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

  private target(project: string | undefined) {
    const key = project ?? '';
    let t = this.targets.get(key);
    if (!t) this.targets.set(key, (t = target(this.opts.endpoint, project)));
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
    const ep = this.opts.endpoint;
    const { connectHost, hostHeader } = this.target(req.project);
    let path = req.path;
    const query = req.query ?? [];
    for (let i = 0; i < query.length; i++)
      path += `${i === 0 ? '?' : '&'}${encodeURIComponent(query[i][0])}=${encodeURIComponent(query[i][1])}`;
    const headers = this.headers(req, creds, hostHeader);
    const secure = ep.protocol === 'https:';
    const options: https.RequestOptions = { host: connectHost, port: ep.port, method: req.method, path, headers, agent: this.agent };
    if (secure) options.servername = hostHeader.split(':')[0];
    return new Promise<SlsResponse>((resolve, reject) => {
      const r = (secure ? https : http).request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new SlsTransportError('ConnectionError', `${req.action}: ${e.message}`, { cause: e })));
        res.on('end', () => {
          const id = res.headers['x-log-requestid'];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
            requestId: Array.isArray(id) ? id[0] : id,
          });
        });
      });
      r.setTimeout(timeout, () => r.destroy(new SlsTransportError('Timeout', `${req.action} timed out after ${timeout} ms`)));
      r.on('error', (e) =>
        reject(
          e instanceof SlsTriggerError
            ? e
            : new SlsTransportError('ConnectionError', `${req.action} to ${ep.url}: ${e.message}${refusedHint(ep, e)}`, { cause: e }),
        ),
      );
      r.end(req.body);
    });
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
