// The console: an HTTP server for the page (web/, uPlot from the package's own dependencies, so it
// works with no network), its JSON API (api.ts), a server-sent-event stream of samples, and
// /metrics (prom-client registries merged). Loopback by default; see security.ts for who may call.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { Registry } from 'prom-client';
import { fileURLToPath } from 'node:url';
import { SlsArgumentError, SlsTriggerError } from '../errors/index.js';
import * as api from './api.js';
import { History } from './history.js';
import { listen } from './listen.js';
import { allowedHosts, isLoopback, refuseMutation, refuseRead } from './security.js';
import { checkOperatorSecret, loginPage, OperatorAuth } from './operatorAuth.js';
import { LoopWatch, probeAnswer, type ProbeSources } from './probes.js';

export interface ConsoleOptions extends Omit<api.ConsoleDeps, 'history' | 'now' | 'registries'> {
  /** default 127.0.0.1 */
  readonly host?: string;
  /** default 0 (any free port) */
  readonly port?: number;
  /** how often lag and new tasks are sampled (default 2000 ms) */
  readonly sampleMs?: number;
  readonly historySeconds?: number;
  /** registries served on /metrics besides none (the job's, the LogHub's) */
  readonly registries?: readonly Registry[];
  readonly now?: () => number;
  /** the mutation token (default: 24 random bytes, new each start) */
  readonly token?: string;
  /**
   * The operator secret (operatorAuth.ts): required when `host` is not loopback; with it every
   * request but the login needs the session cookie of a login or `Authorization: Bearer <secret>`.
   */
  readonly operatorSecret?: string;
  /** the job's readiness for /readyz (absent: no job runs in this process) */
  readonly readiness?: ProbeSources['readiness'];
  readonly onWarning?: (m: string) => void;
}

export interface ConsoleServer {
  readonly url: string;
  readonly token: string;
  readonly history: History;
  /** takes one sample now (tests; the timer does it every sampleMs) */
  sample(): Promise<void>;
  close(): Promise<void>;
}

const webDir = fileURLToPath(new URL('./web/', import.meta.url));
const require = createRequire(import.meta.url);
const STATIC: Record<string, { file: () => string; type: string }> = {
  '/app.js': { file: () => webDir + 'app.js', type: 'text/javascript' },
  '/charts.js': { file: () => webDir + 'charts.js', type: 'text/javascript' },
  '/dom.js': { file: () => webDir + 'dom.js', type: 'text/javascript' },
  '/style.css': { file: () => webDir + 'style.css', type: 'text/css' },
  '/vendor/uPlot.esm.js': { file: () => require.resolve('uplot/dist/uPlot.esm.js'), type: 'text/javascript' },
  '/vendor/uPlot.min.css': { file: () => require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css' },
};

type Handler = (d: api.ConsoleDeps, q: URLSearchParams, body: api.Body) => unknown;
const GET: Record<string, Handler> = {
  '/api/overview': (d) => api.overview(d),
  '/api/series': (d) => api.series(d),
  '/api/tasks': (d, q) => api.tasks(d, q),
  '/api/task': (d, q) => api.taskDetail(d, q),
  '/api/dead-letters': (d) => api.deadLetters(d),
  '/api/preview': (d, q) => api.preview(d, q),
};
const POST: Record<string, Handler> = {
  '/api/checkpoints/reset': (d, _q, b) => api.resetCheckpoint(d, b),
  '/api/replay': (d, _q, b) => api.replay(d, b),
  '/api/dead-letters/redrive': (d, _q, b) => api.redriveLetter(d, b),
};

function send(res: http.ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
const sendJson = (res: http.ServerResponse, status: number, v: unknown) => send(res, status, JSON.stringify(v), 'application/json');

async function readText(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > maxBytes) throw new SlsArgumentError(`request body over ${maxBytes} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: http.IncomingMessage): Promise<api.Body> {
  const text = await readText(req, 1024 * 1024);
  if (text === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as api.Body;
  } catch {
    // answered below
  }
  throw new SlsArgumentError('request body must be a JSON object');
}

function stream(res: http.ServerResponse, history: History): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  const off = history.subscribe((s) => res.write(`event: sample\ndata: ${JSON.stringify(s)}\n\n`));
  // after subscribing: a client that saw this line gets every later sample
  res.write(': connected\n\n');
  res.on('close', off);
}

/**
 * The login (GET: the form; POST: the secret, then a session cookie and back to the page), and the
 * refusal of anything else without a session; true when the request was answered here.
 */
async function gate(auth: OperatorAuth, req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> {
  if (path === '/login' && req.method === 'GET') return (send(res, 200, loginPage(), 'text/html; charset=utf-8'), true);
  if (path === '/login' && req.method === 'POST') {
    const setCookie = auth.login(await readText(req, 4096));
    if (!setCookie) return (send(res, 401, loginPage('wrong operator secret'), 'text/html; charset=utf-8'), true);
    res.writeHead(303, { location: '/', 'set-cookie': setCookie, 'cache-control': 'no-store' }).end();
    return true;
  }
  if (auth.authorized(req) || path === '/style.css') return false;
  if (req.method === 'GET' && (path === '/' || path === '/index.html'))
    return (res.writeHead(303, { location: '/login', 'cache-control': 'no-store' }).end(), true);
  sendJson(res, 401, { error: 'this console needs its operator secret: log in at /login, or send Authorization: Bearer <secret>' });
  return true;
}

export async function startConsole(o: ConsoleOptions): Promise<ConsoleServer> {
  const host = o.host ?? '127.0.0.1';
  checkOperatorSecret(host, o.operatorSecret);
  const auth = o.operatorSecret !== undefined ? new OperatorAuth(o.operatorSecret) : undefined;
  const now = o.now ?? Date.now;
  const token = o.token ?? randomBytes(24).toString('base64url');
  const history = new History({ client: o.client, job: o.job, now, historySeconds: o.historySeconds });
  const deps: api.ConsoleDeps = { ...o, history, now, registries: o.registries ?? [] };
  let hosts: Set<string> | undefined;
  const index = (await readFile(webDir + 'index.html', 'utf8')).replace('__CONSOLE_TOKEN__', token);

  const watch = new LoopWatch();
  const probes: ProbeSources = { registries: deps.registries, readiness: o.readiness };
  async function sendProbe(res: http.ServerResponse, path: string): Promise<void> {
    const a = (await probeAnswer(path, probes, watch))!;
    send(res, a.status, a.body, a.type);
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    const refused = refuseRead(req, hosts);
    if (refused) return sendJson(res, 403, { error: refused });
    // an orchestrator's probes need no login; /metrics does when there is one
    if (req.method === 'GET' && (url.pathname === '/healthz' || url.pathname === '/readyz')) return sendProbe(res, url.pathname);
    if (auth && (await gate(auth, req, res, url.pathname))) return;
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html'))
      return send(res, 200, index, 'text/html; charset=utf-8');
    const asset = req.method === 'GET' ? STATIC[url.pathname] : undefined;
    if (asset) return send(res, 200, await readFile(asset.file()), `${asset.type}; charset=utf-8`);
    if (req.method === 'GET' && url.pathname === '/metrics') return sendProbe(res, url.pathname);
    if (req.method === 'GET' && url.pathname === '/api/stream') return stream(res, history);
    const get = req.method === 'GET' ? GET[url.pathname] : undefined;
    if (get) return sendJson(res, 200, await get(deps, url.searchParams, {}));
    const post = POST[url.pathname];
    if (!post) return sendJson(res, 404, { error: `no ${req.method} ${url.pathname}` });
    const no = refuseMutation(req, token);
    if (no) return sendJson(res, 403, { error: no });
    return sendJson(res, 200, await post(deps, url.searchParams, await readJson(req)));
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      const status = e instanceof SlsArgumentError ? 400 : e instanceof SlsTriggerError ? e.httpStatus || 500 : 500;
      const err = e as { code?: string; message?: string };
      if (!res.headersSent) sendJson(res, status, { error: err.message ?? String(e), code: err.code });
      else res.end();
    });
  });
  const listening = await listen(server, host, o.port ?? 0);
  hosts = allowedHosts(host, listening.port);
  if (!isLoopback(host))
    o.onWarning?.(
      `the console listens on ${host}, not loopback: every page, API call and /metrics needs the operator secret ` +
        `(log in at /login, or Authorization: Bearer); the page's token also guards mutations against other web pages`,
    );
  const sample = async () => {
    try {
      await history.sample();
    } catch (e) {
      o.onWarning?.(`console sample failed: ${(e as Error).message}`);
    }
  };
  await sample();
  const timer = setInterval(() => void sample(), o.sampleMs ?? 2000);
  timer.unref();
  return {
    url: listening.url,
    token,
    history,
    sample,
    async close() {
      clearInterval(timer);
      watch.close();
      await listening.close();
    },
  };
}
