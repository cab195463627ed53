// One signed HTTP exchange with keep-alive connections and a timeout. No retries here (retry.ts).
import http from 'node:http';
import https from 'node:https';
import { authorizationV1, md5Hex, type Credentials, type SignableRequest } from '../codec/index.js';
import { codeInfo, SlsServiceError, SlsTransportError, SlsTriggerError } from '../errors/index.js';
import { target, type Endpoint } from './endpoint.js';
import { header, type SlsRequest, type SlsResponse } from './request.js';

export interface TransportOptions {
  readonly endpoint: Endpoint;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly now: () => Date;
}

export class Transport {
  private readonly agent: http.Agent;
  private readonly opts: TransportOptions;

  constructor(opts: TransportOptions) {
    this.opts = opts;
    const agentOpts = { keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 };
    this.agent = opts.endpoint.protocol === 'https:' ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
  }

  close(): void {
    this.agent.destroy();
  }

  /** Builds the wire headers (lowercase names) and signs them. */
  private headers(req: SlsRequest<unknown>, creds: Credentials, hostHeader: string): Record<string, string> {
    const h: Record<string, string> = {
      date: this.opts.now().toUTCString(),
      'x-log-apiversion': '0.6.0',
      'x-log-signaturemethod': 'hmac-sha1',
      'user-agent': this.opts.userAgent,
      host: hostHeader,
      ...(req.headers ?? {}),
    };
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
    const { connectHost, hostHeader } = target(ep, req.project);
    const qs = (req.query ?? []).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const path = req.path + (qs ? `?${qs}` : '');
    const headers = this.headers(req, creds, hostHeader);
    const lib = ep.protocol === 'https:' ? https : http;
    return new Promise<SlsResponse>((resolve, reject) => {
      const r = lib.request(
        { host: connectHost, port: ep.port, method: req.method, path, headers, agent: this.agent, servername: hostHeader.split(':')[0] },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new SlsTransportError('ConnectionError', `${req.action}: ${e.message}`, { cause: e })));
          res.on('end', () => {
            const out: SlsResponse = {
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              requestId: undefined,
            };
            resolve({ ...out, requestId: header(out, 'x-log-requestid') });
          });
        },
      );
      r.setTimeout(timeout, () => r.destroy(new SlsTransportError('Timeout', `${req.action} timed out after ${timeout} ms`)));
      r.on('error', (e) =>
        reject(
          e instanceof SlsTriggerError
            ? e
            : new SlsTransportError('ConnectionError', `${req.action} to ${ep.url}: ${e.message}`, { cause: e }),
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
