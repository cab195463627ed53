// The embedded LogHub: an HTTP server speaking the SLS REST API over a durable store.
// Stages per request: body (size-capped) -> auth -> route -> action -> reply.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseRequestTarget, type SignableRequest } from '../codec/index.js';
import { SlsServiceError, SlsTriggerError } from '../errors/index.js';
import type { ActionRequest, ActionResult } from './actions/common.js';
import type { BufferPool } from './bufferPool.js';
import { Hub } from './hub.js';
import type { Limits } from './limits.js';
import { authenticate, type AuthOptions } from './http/auth.js';
import { fileKeyRing, staticKeyRing, type AccessKey } from './http/keyRing.js';

export type { AccessKey } from './http/keyRing.js';
import { checkLogHubOptions } from './options.js';
import { answerClientError, requestIdGenerator, sendEmpty, sendError, sendJson, sendLogs } from './http/reply.js';
import { projectFromHost, route } from './http/route.js';
import { FileStore } from './store/fileStore.js';
import { MemoryStore } from './store/memoryStore.js';
import type { Store } from './store/types.js';
import { expireAll } from './ttl.js';
import type { LogHubMetrics } from './metrics.js';
import type { RequestLogEntry } from './requestLog.js';

export type { RequestLogEntry } from './requestLog.js';

/** The pair a fresh `serve`/`dev` accepts when none is configured (printed at start). */
export const DEFAULT_ACCESS_KEY: AccessKey = { accessKeyId: 'sls-trigger-local', accessKeySecret: 'sls-trigger-local-secret' };

export interface LogHubOptions {
  /** default 0 (any free port) */
  readonly port?: number;
  /** default 127.0.0.1 */
  readonly host?: string;
  /** where data lives (default ./.sls-trigger/loghub); ignored when `memory` or `store` is set */
  readonly dataDir?: string;
  readonly memory?: boolean;
  readonly store?: Store;
  /** accept unsigned requests (off by default) */
  readonly anonymous?: boolean;
  /** accepted keys (default DEFAULT_ACCESS_KEY); a key with a securityToken accepts only that token, until its expiration */
  readonly accessKeys?: readonly AccessKey[];
  /**
   * a JSON array of more keys (same shape, usually STS keys with expiration), read again whenever a
   * request names a key or token not known yet: rewrite it to rotate the accepted tokens
   */
  readonly accessKeysFile?: string;
  readonly limits?: Partial<Limits>;
  /** milliseconds clock (tests move it) */
  readonly now?: () => number;
  /** how often expired data is deleted (default 60 000 ms; 0 = never in the background) */
  readonly ttlIntervalMs?: number;
  /** fsync before acknowledging writes (default true) */
  readonly fsync?: boolean;
  readonly segmentBytes?: number;
  /** fold the checkpoint journal into meta.json past this many bytes (default 4 MiB) */
  readonly journalCompactBytes?: number;
  /** files the file store keeps open at most, across all shards (default 512; keep it well under `ulimit -n`) */
  readonly maxOpenFiles?: number;
  /** host names that mean "no project" besides IPs and localhost */
  readonly bareHosts?: readonly string[];
  readonly onRequest?: (entry: RequestLogEntry) => void;
  readonly onWarning?: (msg: string) => void;
  /** count requests and fsyncs here, and answer an unsigned GET /metrics (no project) with them */
  readonly metrics?: LogHubMetrics;
}

export interface LogHub {
  /** e.g. http://127.0.0.1:38211 */
  readonly endpoint: string;
  readonly port: number;
  readonly host: string;
  /** the running state: metadata, stores, the clock (what TTL sweeps and fixtures reach into) */
  readonly state: Hub;
  readonly accessKeys: readonly AccessKey[];
  readonly dataDir: string | undefined;
  close(): Promise<void>;
}

/**
 * Reads a request body. With a Content-Length (what every SDK sends) the bytes go straight into
 * one pooled buffer; the caller releases it once the action has settled.
 */
function readBody(req: http.IncomingMessage, max: number, pool: BufferPool): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const known = req.headers['content-length'] !== undefined && Number.isSafeInteger(declared) && declared >= 0;
  if (known && declared > max) {
    req.resume();
    return Promise.reject(SlsServiceError.of('PostBodyTooLarge', `body size ${declared} must be at most ${max}`));
  }
  return new Promise((resolve, reject) => {
    const into = known && declared > 0 ? pool.acquire(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      if (into) c.copy(into, size);
      else if (size + c.length <= max) chunks.push(c);
      size += c.length;
      if (size > max) {
        reject(SlsServiceError.of('PostBodyTooLarge', `body size ${size} must be at most ${max}`));
        req.removeAllListeners('data');
        req.resume();
      }
    });
    req.on('end', () => resolve(into ?? Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

async function sendMetrics(res: http.ServerResponse, metrics: LogHubMetrics): Promise<void> {
  const text = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startLogHub(opts: LogHubOptions = {}): Promise<LogHub> {
  checkLogHubOptions(opts);
  const dataDir = opts.store || opts.memory ? undefined : path.resolve(opts.dataDir ?? path.join('.sls-trigger', 'loghub'));
  const store =
    opts.store ??
    (dataDir
      ? new FileStore({
          dataDir,
          fsync: opts.fsync,
          segmentBytes: opts.segmentBytes,
          journalCompactBytes: opts.journalCompactBytes,
          maxOpenFiles: opts.maxOpenFiles,
          onWarning: opts.onWarning,
          onFsync: opts.metrics && ((s) => opts.metrics!.fsync(s)),
          onStorageError: opts.metrics && ((code) => opts.metrics!.storageError(code)),
        })
      : new MemoryStore());
  const hub = await Hub.open({ store, now: opts.now, limits: opts.limits });
  const accessKeys = opts.accessKeys && opts.accessKeys.length > 0 ? opts.accessKeys : [DEFAULT_ACCESS_KEY];
  const auth: AuthOptions = {
    anonymous: opts.anonymous ?? false,
    keys: opts.accessKeysFile ? fileKeyRing(opts.accessKeysFile, accessKeys) : staticKeyRing(accessKeys),
    clockSkewSeconds: hub.limits.clockSkewSeconds,
    now: hub.now,
  };
  const bareHosts = new Set(opts.bareHosts ?? []);
  const newRequestId = requestIdGenerator();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = newRequestId(hub.now());
    const method = (req.method ?? 'GET').toUpperCase();
    const { path: urlPath, query } = parseRequestTarget(req.url ?? '/');
    const headers = flatHeaders(req.headers);
    const project = projectFromHost(headers['host'], bareHosts);
    if (opts.metrics && method === 'GET' && urlPath === '/metrics' && project === undefined) return sendMetrics(res, opts.metrics);
    let action: string | undefined;
    let status = 200;
    let bytesIn = 0;
    let bytesOut = 0;
    let err: SlsTriggerError | undefined;
    let body: Buffer | undefined;
    try {
      body = await readBody(req, hub.limits.maxBodyBytes, hub.buffers);
      bytesIn = body.length;
      const signable: SignableRequest = { method, path: urlPath, query, headers };
      authenticate(signable, body, auth);
      const q = new Map(query);
      const r = route(method, urlPath, q, project !== undefined);
      action = r.name;
      if (!r.projectless && project === undefined)
        throw SlsServiceError.of('ProjectNotExist', 'The Project does not exist : (no project in the Host header)');
      // A metadata save that failed is made good before anything is answered (hub.ts, persist).
      await hub.ensureSaved();
      const areq: ActionRequest = { project, logstore: r.logstore, shardId: r.shardId, group: r.group, query: q, headers, body };
      const result: ActionResult = await r.action(hub, areq);
      if (result.kind === 'json') bytesOut = sendJson(res, 200, result.value, requestId);
      else if (result.kind === 'logs') bytesOut = sendLogs(res, result, headers['accept-encoding'], requestId);
      else bytesOut = sendEmpty(res, requestId);
    } catch (e) {
      err =
        e instanceof SlsTriggerError
          ? e
          : new SlsServiceError('InternalServerError', `internal error: ${(e as Error).message}`, { cause: e });
      status = err.httpStatus;
      if (!res.headersSent) bytesOut = sendError(res, err, requestId);
      // An error we did not foresee gets its stack; a storage fault is said once per episode by the store.
      if (!(e instanceof SlsTriggerError))
        opts.onWarning?.(`request ${requestId} ${method} ${urlPath}: ${(e as Error).stack ?? String(e)}`);
    }
    // The action has settled and replies never refer to the request body: its buffer can be reused.
    if (body) hub.buffers.release(body);
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      requestId,
      method,
      path: urlPath,
      action,
      project,
      status,
      ...(err ? { errorCode: err.code, errorMessage: err.message } : {}),
      ms: Date.now() - started,
      bytesIn,
      bytesOut,
    };
    opts.metrics?.request(entry);
    opts.onRequest?.(entry);
  }

  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => void handle(req, res));
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket, newRequestId(hub.now())));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      void store.close();
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${opts.port} on ${host} is already in use: choose another (--port, or 0 for any free port)`, { cause: e })
          : e,
      );
    });
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const ttlMs = opts.ttlIntervalMs ?? 60_000;
  const ttlTimer =
    ttlMs > 0
      ? setInterval(() => void expireAll(hub).catch((e) => opts.onWarning?.(`TTL sweep: ${(e as Error).message}`)), ttlMs)
      : undefined;
  ttlTimer?.unref();
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    endpoint: `http://${shownHost}:${port}`,
    port,
    host,
    state: hub,
    accessKeys,
    dataDir,
    async close() {
      if (ttlTimer) clearInterval(ttlTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}
