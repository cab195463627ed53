// What an orchestrator and a scraper ask a running job: /metrics (prom-client registries merged),
// /healthz (the process and its event loop are alive: the longest event-loop delay since the last
// probe is under a bound) and /readyz (the job joined its group, heartbeats and SLS answer:
// trigger/engine/health.ts). Served read-only on their own port by `run --metrics`, and by the console.
import http from 'node:http';
import { Registry } from 'prom-client';
import type { Readiness } from '../trigger/index.js';
import { listen } from './listen.js';

export interface ProbeSources {
  /** registries served on /metrics (the job's, the LogHub's) */
  readonly registries: readonly Registry[];
  /** the job's readiness; absent where no job runs in this process (/readyz answers 404) */
  readonly readiness?: () => Readiness;
  /** /healthz fails when the event loop stalled longer than this since the last probe (default 5000 ms) */
  readonly maxEventLoopDelayMs?: number;
}

export interface ProbeAnswer {
  readonly status: number;
  readonly body: string;
  readonly type: string;
}

const json = (status: number, v: unknown): ProbeAnswer => ({ status, body: JSON.stringify(v), type: 'application/json' });

/**
 * Event-loop delay: a timer every `resolutionMs` notes how late it fires; a read also counts the time
 * since the last fire (a loop stalled right now shows at once) and starts a new window.
 */
export class LoopWatch {
  private last = performance.now();
  private maxMs = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly resolutionMs = 100) {
    this.timer = setInterval(() => this.note(), resolutionMs);
    // a probe's timer alone must not keep the process alive
    this.timer.unref();
  }

  private note(): void {
    const now = performance.now();
    this.maxMs = Math.max(this.maxMs, now - this.last - this.resolutionMs);
    this.last = now;
  }

  /** the longest event-loop delay since the last read, in ms */
  read(): number {
    this.note();
    const max = Math.max(0, Math.round(this.maxMs));
    this.maxMs = 0;
    return max;
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** The answer for a probe path, or undefined when `path` is not one. */
export async function probeAnswer(path: string, sources: ProbeSources, watch: LoopWatch): Promise<ProbeAnswer | undefined> {
  if (path === '/metrics') {
    // Registry.merge throws on an empty list: a process with no job has no metrics
    const merged = sources.registries.length > 0 ? Registry.merge([...sources.registries]) : new Registry();
    return { status: 200, body: await merged.metrics(), type: merged.contentType };
  }
  if (path === '/healthz') {
    const delayMs = watch.read();
    const bound = sources.maxEventLoopDelayMs ?? 5000;
    if (delayMs > bound)
      return json(503, {
        healthy: false,
        reason: `the event loop stalled for ${delayMs} ms (bound ${bound} ms)`,
        maxEventLoopDelayMs: delayMs,
      });
    return json(200, { healthy: true, maxEventLoopDelayMs: delayMs });
  }
  if (path === '/readyz') {
    if (!sources.readiness) return json(404, { error: 'no job runs in this process' });
    const r = sources.readiness();
    return json(r.ready ? 200 : 503, r);
  }
  return undefined;
}

export interface ProbeServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The read-only probe port: GET /metrics, /healthz, /readyz and nothing else. */
export async function startProbeServer(o: ProbeSources & { readonly host?: string; readonly port?: number }): Promise<ProbeServer> {
  const watch = new LoopWatch();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://probes').pathname;
    const answer = req.method === 'GET' ? probeAnswer(path, o, watch) : Promise.resolve(undefined);
    answer
      .then((a) => a ?? json(req.method === 'GET' ? 404 : 405, { error: `this port serves GET /metrics, /healthz and /readyz only` }))
      .catch((e: unknown) => json(500, { error: (e as Error).message }))
      .then((a) => res.writeHead(a.status, { 'content-type': a.type, 'cache-control': 'no-store' }).end(a.body));
  });
  const listening = await listen(server, o.host ?? '127.0.0.1', o.port ?? 0);
  return {
    url: listening.url,
    async close() {
      watch.close();
      await listening.close();
    },
  };
}
