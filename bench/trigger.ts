// bench/trigger:
//  A. latency from PutLogs acknowledgement to function start (p50/p99) at a 1 s trigger interval,
//     real clock, in-process LogHub and function;
//  B. scheduler CPU per tick with 1000 idle shards (LogHub in a child process; manual clock).
// Usage: tsx bench/trigger.ts [--json] [--seconds 15] [--shards 1000] [--ticks 10]
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { LogClient } from '../src/client/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub } from '../src/loghub/index.js';
import { InProcessInvoker, ManualClock, parseEvent, parseJobConfig, Scheduler } from '../src/trigger/index.js';
import { numberFlag, report, wantsJson } from './args.js';

const seconds = numberFlag('seconds', 15);
const shardCount = numberFlag('shards', 1000);
const ticks = numberFlag('ticks', 10);
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

async function latency() {
  const hub = await startLogHub({ port: 0, memory: true, ttlIntervalMs: 0 });
  const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  await client.createProject({ project: 'lat' });
  await client.createLogStore({ project: 'lat', logstore: 'src', shardCount: 2 });
  await client.createLogStore({ project: 'lat', logstore: 'trigger-log', shardCount: 1 });
  const acked = new Map<string, number>();
  const latencies: number[] = [];
  const invoker = new InProcessInvoker(async (buf: Buffer) => {
    const started = Date.now();
    const e = parseEvent(buf);
    for (let cursor = e.source.beginCursor; cursor !== e.source.endCursor;) {
      const r = await client.pullLogs({
        project: 'lat',
        logstore: 'src',
        shardId: e.source.shardId,
        cursor,
        endCursor: e.source.endCursor,
      });
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
  const scheduler = new Scheduler({
    config: parseJobConfig(jobInput(hub.endpoint, 'lat')),
    client,
    invoker,
    functionCredentials: DEFAULT_ACCESS_KEY,
    scheduleSink: null,
  });
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
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { logs: acked.size, delivered: latencies.length, p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] };
}

async function idleTicks() {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'hubChild.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((r) => readline.createInterface({ input: child.stdout! }).once('line', r));
  const { endpoint } = JSON.parse(line) as { endpoint: string };
  const clock = new ManualClock(Date.now());
  const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, now: () => new Date(clock.now()) });
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
    await scheduler.idle();
    let cpu = 0;
    let wall = 0;
    for (let i = 0; i < ticks; i++) {
      clock.advance(1000);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await scheduler.tick();
      await scheduler.idle();
      wall += performance.now() - t0;
      const c = process.cpuUsage(c0);
      cpu += (c.user + c.system) / 1000;
    }
    return { shards: shardCount, cpuMsPerTick: cpu / ticks, wallMsPerTick: wall / ticks, held: scheduler.snapshot().length };
  } finally {
    client.close();
    child.kill('SIGTERM');
  }
}

const lat = await latency();
const idle = await idleTicks();
const f = (x: number) => +x.toFixed(1);
report(
  wantsJson(),
  {
    bench: 'trigger',
    intervalSeconds: 1,
    latencyP50Ms: lat.p50,
    latencyP99Ms: lat.p99,
    latencyMaxMs: lat.max,
    logs: lat.logs,
    delivered: lat.delivered,
    idleShards: idle.shards,
    heldShards: idle.held,
    cpuMsPerTick: f(idle.cpuMsPerTick),
    wallMsPerTick: f(idle.wallMsPerTick),
    cpuUsPerShardPerTick: f((idle.cpuMsPerTick * 1000) / idle.shards),
  },
  [
    `latency PutLogs ack -> function start, 1 s interval: p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms (${lat.delivered}/${lat.logs} logs)`,
    `${idle.shards} idle shards: scheduler CPU ${f(idle.cpuMsPerTick)} ms per tick (${f((idle.cpuMsPerTick * 1000) / idle.shards)} µs per shard), wall ${f(idle.wallMsPerTick)} ms per tick, ${idle.held} shards held`,
  ],
);
