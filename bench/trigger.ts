// bench/trigger:
//  A. latency from PutLogs acknowledgement to function start (p50/p99) at a 1 s trigger interval,
//     and function start - window close, real clock, in-process LogHub and function;
//  B. the same in low-latency mode (pollIntervalMs 50);
//  C. scheduler CPU per GetCursor check with 1000 idle shards (LogHub in a child process; manual clock),
//     against a baseline in the same run, a round after each tick: a bare keep-alive GET to the same server;
//     once with the client's defaults, once with `pipelining` (--pipelining, default 16).
// Usage: tsx bench/trigger.ts [--json] [--seconds 15] [--shards 1000] [--ticks 10] [--pipelining 16] [--idle-only]
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { LogClient } from '../src/client/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub } from '../src/loghub/index.js';
import { InProcessInvoker, ManualClock, parseEvent, parseJobConfig, Scheduler } from '../src/trigger/index.js';
import { numberFlag, report, wantsJson } from './args.js';

const seconds = numberFlag('seconds', 15);
const shardCount = numberFlag('shards', 1000);
const ticks = numberFlag('ticks', 10);
const pipelining = numberFlag('pipelining', 16);
const here = path.dirname(new URL(import.meta.url).pathname);

const jobInput = (endpoint: string, project: string) => ({
  endpoint,
  project,
  jobName: 'bench',
  sourceConfig: { logstore: 'src', startTime: 'begin' },
  jobConfig: { triggerInterval: 1, maxRetryTime: 0 },
  logConfig: { project, logstore: 'trigger-log' },
  target: { type: 'local' as const, module: 'unused.js' },
  heartbeatIntervalSeconds: 1,
  concurrency: 8,
});

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

/**
 * Put -> function start for logs written every 50 ms, and (interval mode) function start -> the
 * close of the window the invocation covers (receive time of its first group + interval).
 */
async function latency(mode: Record<string, unknown>) {
  const hub = await startLogHub({ port: 0, memory: true, ttlIntervalMs: 0 });
  const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  await client.createProject({ project: 'lat' });
  await client.createLogStore({ project: 'lat', logstore: 'src', shardCount: 2 });
  await client.createLogStore({ project: 'lat', logstore: 'trigger-log', shardCount: 1 });
  const acked = new Map<string, number>();
  const latencies: number[] = [];
  const afterClose: number[] = [];
  const config = parseJobConfig({ ...jobInput(hub.endpoint, 'lat'), ...mode });
  const invoker = new InProcessInvoker(async (buf: Buffer) => {
    const started = Date.now();
    const e = parseEvent(buf);
    const at = { project: 'lat', logstore: 'src', shardId: e.source.shardId };
    if (!config.lowLatency) {
      const beginTime = await client.getCursorTime({ ...at, cursor: e.source.beginCursor });
      afterClose.push(started - (beginTime + config.triggerInterval) * 1000);
    }
    for (let cursor = e.source.beginCursor; cursor !== e.source.endCursor;) {
      const r = await client.pullLogs({ ...at, cursor, endCursor: e.source.endCursor });
      for (const g of r.groups)
        for (let i = 0; i < g.logCount; i++) {
          const t = acked.get(g.value(i, 0));
          if (t !== undefined) latencies.push(started - t);
        }
      if (r.count === 0) break;
      cursor = r.nextCursor;
    }
    return {};
  });
  const scheduler = new Scheduler({ config, client, invoker, functionCredentials: DEFAULT_ACCESS_KEY, scheduleSink: null });
  const running = scheduler.run();
  let n = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const id = `log-${n++}`;
    await client.putLogs({
      project: 'lat',
      logstore: 'src',
      logGroup: { logs: [{ time: Math.floor(Date.now() / 1000), contents: [{ key: 'id', value: id }] }], logTags: [] },
    });
    acked.set(id, Date.now());
    await new Promise((r) => setTimeout(r, 50));
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < acked.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await scheduler.stop();
  await running;
  client.close();
  await hub.close();
  return {
    logs: acked.size,
    delivered: latencies.length,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: Math.max(...latencies),
    afterCloseP50: quantile(afterClose, 0.5),
    afterCloseP99: quantile(afterClose, 0.99),
  };
}

/**
 * A bare keep-alive http.request GET to the same server, issued as the scheduler issues its checks:
 * `round(n)` sends n at once and returns the client CPU per request.
 */
function bareGet(endpoint: string) {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const r = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: '/logstores/src/shards/0?type=cursor&from=end',
          headers: { host: `idle.${url.host}` },
          agent,
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', resolve);
        },
      );
      r.on('error', reject);
      r.end();
    });
  return {
    round: async (requests: number) => {
      const c0 = process.cpuUsage();
      await Promise.all(Array.from({ length: requests }, one));
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / requests;
    },
    close: () => agent.destroy(),
  };
}

async function idleTicks(pipelining: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'hubChild.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((r) => readline.createInterface({ input: child.stdout! }).once('line', r));
  const { endpoint } = JSON.parse(line) as { endpoint: string };
  const clock = new ManualClock(Date.now());
  const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, now: () => new Date(clock.now()), pipelining });
  try {
    await client.createProject({ project: 'idle' });
    await client.createLogStore({ project: 'idle', logstore: 'src', shardCount });
    await client.createLogStore({ project: 'idle', logstore: 'trigger-log', shardCount: 1 });
    const scheduler = new Scheduler({
      config: parseJobConfig(jobInput(endpoint, 'idle')),
      client,
      invoker: new InProcessInvoker(() => ({})),
      functionCredentials: DEFAULT_ACCESS_KEY,
      scheduleSink: null,
      clock,
    });
    await scheduler.tick(); // setup: consumer group, first checkpoints, shard states
    await scheduler.whenIdle();
    // CPU per GetCursor check, from ticks that made checks: a tick in which no shard was due
    // (shards are checked one interval apart) costs next to nothing and must not be the figure
    let checks = 0;
    scheduler.on('check', () => checks++);
    let best = { usPerCheck: Infinity, checks: 0, cpuMs: 0, wallMs: 0 };
    let emptyTicks = 0;
    // the baseline round follows each tick, so both see the same moment of a shared, noisy machine
    const bare = bareGet(endpoint);
    await bare.round(64); // warm its sockets
    let baselineUs = Infinity;
    for (let i = 0; i < ticks; i++) {
      baselineUs = Math.min(baselineUs, await bare.round(shardCount));
      clock.advance(1000);
      checks = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await scheduler.tick();
      await scheduler.whenIdle();
      const wallMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (checks === 0) {
        emptyTicks++;
        continue;
      }
      const usPerCheck = (c.user + c.system) / checks;
      if (usPerCheck < best.usPerCheck) best = { usPerCheck, checks, cpuMs: (c.user + c.system) / 1000, wallMs };
    }
    bare.close();
    return { shards: shardCount, ...best, emptyTicks, held: scheduler.snapshot().length, baselineUs };
  } finally {
    client.close();
    child.kill('SIGTERM');
  }
}

// --idle-only: just part C (for profiling it: node --cpu-prof --import tsx bench/trigger.ts --idle-only)
const idleOnly = process.argv.includes('--idle-only');
const none = { p50: NaN, p99: NaN, max: NaN, afterCloseP50: NaN, afterCloseP99: NaN, logs: 0, delivered: 0 };
const interval = idleOnly ? none : await latency({});
const low = idleOnly ? none : await latency({ pollIntervalMs: 50 });
const idle = await idleTicks(1);
const piped = await idleTicks(pipelining);
const f = (x: number) => +x.toFixed(1);
report(
  wantsJson(),
  {
    bench: 'trigger',
    intervalSeconds: 1,
    latencyP50Ms: interval.p50,
    latencyP99Ms: interval.p99,
    latencyMaxMs: interval.max,
    afterWindowCloseP50Ms: interval.afterCloseP50,
    afterWindowCloseP99Ms: interval.afterCloseP99,
    logs: interval.logs,
    delivered: interval.delivered,
    lowLatencyPollMs: 50,
    lowLatencyP50Ms: low.p50,
    lowLatencyP99Ms: low.p99,
    lowLatencyDelivered: low.delivered,
    lowLatencyLogs: low.logs,
    idleShards: idle.shards,
    heldShards: idle.held,
    cpuMsPerTick: f(idle.cpuMs),
    wallMsPerTick: f(idle.wallMs),
    checksInTick: idle.checks,
    ticksWithoutChecks: idle.emptyTicks,
    cpuUsPerCheck: f(idle.usPerCheck),
    bareGetCpuUs: f(idle.baselineUs),
    idleCostRatio: +(idle.usPerCheck / idle.baselineUs).toFixed(2),
    pipelining,
    pipelinedChecksInTick: piped.checks,
    pipelinedCpuUsPerCheck: f(piped.usPerCheck),
    pipelinedBareGetCpuUs: f(piped.baselineUs),
    pipelinedWallMsPerTick: f(piped.wallMs),
    idleCostRatioPipelined: +(piped.usPerCheck / piped.baselineUs).toFixed(2),
  },
  [
    `interval mode (1 s): put -> function start p50 ${interval.p50} ms, p99 ${interval.p99} ms, max ${interval.max} ms (${interval.delivered}/${interval.logs} logs)`,
    `  function start - window close: p50 ${interval.afterCloseP50} ms, p99 ${interval.afterCloseP99} ms`,
    `low-latency mode (poll 50 ms): put -> function start p50 ${low.p50} ms, p99 ${low.p99} ms (${low.delivered}/${low.logs} logs)`,
    `${idle.shards} idle shards: scheduler CPU ${f(idle.usPerCheck)} µs per check (${idle.checks} checks, ${f(idle.cpuMs)} ms CPU, wall ${f(idle.wallMs)} ms in that tick), ${idle.held} held (best of ${ticks - idle.emptyTicks} ticks with checks; ${idle.emptyTicks} without)`,
    `  baseline, bare keep-alive GET to the same server: ${f(idle.baselineUs)} µs CPU per request; ratio ${(idle.usPerCheck / idle.baselineUs).toFixed(2)}x`,
    `  with pipelining ${pipelining}: ${f(piped.usPerCheck)} µs per check (${piped.checks} checks, wall ${f(piped.wallMs)} ms) vs ${f(piped.baselineUs)} µs per bare GET; ratio ${(piped.usPerCheck / piped.baselineUs).toFixed(2)}x`,
  ],
);
