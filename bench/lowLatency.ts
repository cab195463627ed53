// bench/lowLatency: low-latency mode at scale. 1000 idle shards polled every 50 ms by one scheduler
// (LogHub in a child process, real clock), for --seconds each: without back-off, then with
// idlePollIntervalMs. Reports the scheduler's CPU per second of wall time (cores), GetCursor checks
// per second, put -> function start for the first log on an idle shard (the price of back-off), and
// put acknowledgement -> function start on shards that receive data (a log every 100 ms on --active shards).
// Usage: tsx bench/lowLatency.ts [--json] [--seconds 10] [--shards 1000] [--idle-poll 1000] [--samples 20] [--active 10] [--active-rounds 30] [--pipelining 1]
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { LogClient } from '../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { InProcessInvoker, parseJobConfig, Scheduler, parseEvent } from '../src/trigger/index.js';
import { numberFlag, report, wantsJson } from './args.js';

const seconds = numberFlag('seconds', 10);
const shardCount = numberFlag('shards', 1000);
const idlePoll = numberFlag('idle-poll', 1000);
const samples = numberFlag('samples', 20);
const activeCount = numberFlag('active', 10);
const activeRounds = numberFlag('active-rounds', 30);
const pipelining = numberFlag('pipelining', 1);
const here = path.dirname(new URL(import.meta.url).pathname);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The hash key that routes to shard `i` of `n` (shards split the 128-bit key space evenly). */
const keyFor = (i: number, n: number) => ((BigInt(i) * 2n ** 128n) / BigInt(n) + 1n).toString(16).padStart(32, '0');

async function run(endpoint: string, project: string, idlePollIntervalMs: number | undefined) {
  const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, pipelining });
  await client.createProject({ project });
  await client.createLogStore({ project, logstore: 'src', shardCount });
  await client.createLogStore({ project, logstore: 'trigger-log', shardCount: 1 });
  const started = new Map<string, number>();
  const invoker = new InProcessInvoker(async (buf: Buffer) => {
    const e = parseEvent(buf);
    const page = await client.pullLogs({ project, logstore: 'src', shardId: e.source.shardId, cursor: e.source.beginCursor, count: 10 });
    for (const g of page.groups) started.set(g.value(0, 0), Date.now());
    return {};
  });
  const scheduler = new Scheduler({
    config: parseJobConfig({
      endpoint,
      project,
      jobName: 'll',
      sourceConfig: { logstore: 'src', startTime: 'latest' },
      jobConfig: { triggerInterval: 1 },
      logConfig: { project, logstore: 'trigger-log' },
      target: { type: 'local', module: 'unused.js' },
      heartbeatIntervalSeconds: 5,
      concurrency: 16,
      pollIntervalMs: 50,
      ...(idlePollIntervalMs === undefined ? {} : { idlePollIntervalMs }),
    }),
    client,
    invoker,
    functionCredentials: DEFAULT_ACCESS_KEY,
    scheduleSink: null,
  });
  let checks = 0;
  scheduler.on('check', () => checks++);
  const running = scheduler.run();
  // warm up: every shard held and checked (and backed off, where it does)
  await sleep(Math.max(3000, (idlePollIntervalMs ?? 0) * 4));
  checks = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const c = process.cpuUsage(c0);
  const wallMs = performance.now() - t0;
  const cores = (c.user + c.system) / 1000 / wallMs;
  const checksPerSecond = (checks * 1000) / wallMs;
  // the first log on an idle shard: put -> function start, one shard at a time
  const firstLog: number[] = [];
  for (let i = 0; i < samples; i++) {
    const shard = (i * 37) % shardCount;
    const id = `first-${i}`;
    await sleep((idlePollIntervalMs ?? 50) * 2); // idle long enough to be backed off
    const put = Date.now();
    await client.putLogs({
      project,
      logstore: 'src',
      hashKey: keyFor(shard, shardCount),
      logGroup: { logs: [{ time: Math.floor(put / 1000), contents: [{ key: 'id', value: id }] }], logTags: [] },
    });
    while (!started.has(id)) await sleep(5);
    firstLog.push(started.get(id)! - put);
  }
  const active = await activeShards(client, project, started, idlePollIntervalMs ?? 0);
  await scheduler.stop();
  await running;
  client.close();
  const first = quantiles(firstLog);
  return { cores, checksPerSecond, firstLogP50: first(0.5), firstLogP99: first(0.99), activeP50: active(0.5), activeP99: active(0.99) };
}

const quantiles = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};

/**
 * Shards that receive data: `activeCount` shards get a log every 100 ms for `activeRounds` rounds;
 * put acknowledgement -> function start of each (the other shards stay idle, backed off or not).
 * Rounds in the first idle-poll interval + 500 ms are not counted: a shard's first log after a
 * quiet spell is the first-log figure, not this one.
 */
async function activeShards(client: LogClient, project: string, started: Map<string, number>, idlePollMs: number) {
  const latencies: number[] = [];
  const acked = new Map<string, number>();
  const warmRounds = Math.ceil((idlePollMs + 500) / 100);
  for (let round = 0; round < warmRounds + activeRounds; round++) {
    await Promise.all(
      Array.from({ length: activeCount }, async (_, k) => {
        const shard = (k * 101 + 7) % shardCount;
        const id = `active-${round}-${k}`;
        await client.putLogs({
          project,
          logstore: 'src',
          hashKey: keyFor(shard, shardCount),
          logGroup: { logs: [{ time: Math.floor(Date.now() / 1000), contents: [{ key: 'id', value: id }] }], logTags: [] },
        });
        if (round >= warmRounds) acked.set(id, Date.now());
      }),
    );
    await sleep(100);
  }
  for (const [id, at] of acked) {
    while (!started.has(id)) await sleep(5);
    latencies.push(started.get(id)! - at);
  }
  return quantiles(latencies);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'hubChild.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const line = await new Promise<string>((r) => readline.createInterface({ input: child.stdout! }).once('line', r));
  const { endpoint } = JSON.parse(line) as { endpoint: string };
  const fast = await run(endpoint, 'll-fast', undefined);
  const backedOff = await run(endpoint, 'll-backoff', idlePoll);
  const f = (x: number) => +x.toFixed(2);
  report(
    wantsJson(),
    {
      bench: 'lowLatency',
      shards: shardCount,
      pollIntervalMs: 50,
      idlePollIntervalMs: idlePoll,
      coresNoBackoff: f(fast.cores),
      checksPerSecondNoBackoff: Math.round(fast.checksPerSecond),
      firstLogP50MsNoBackoff: fast.firstLogP50,
      firstLogP99MsNoBackoff: fast.firstLogP99,
      activeP50MsNoBackoff: fast.activeP50,
      activeP99MsNoBackoff: fast.activeP99,
      coresBackoff: f(backedOff.cores),
      checksPerSecondBackoff: Math.round(backedOff.checksPerSecond),
      firstLogP50MsBackoff: backedOff.firstLogP50,
      firstLogP99MsBackoff: backedOff.firstLogP99,
      activeP50MsBackoff: backedOff.activeP50,
      activeP99MsBackoff: backedOff.activeP99,
      pollsSaved: f(1 - backedOff.checksPerSecond / fast.checksPerSecond),
    },
    [
      `${shardCount} idle shards, poll 50 ms: scheduler ${f(fast.cores)} cores, ${Math.round(fast.checksPerSecond)} checks/s; first log after idle p50 ${fast.firstLogP50} ms, p99 ${fast.firstLogP99} ms; ${activeCount} active shards p50 ${fast.activeP50} ms, p99 ${fast.activeP99} ms`,
      `  with idlePollIntervalMs ${idlePoll}: ${f(backedOff.cores)} cores, ${Math.round(backedOff.checksPerSecond)} checks/s (${Math.round(100 * (1 - backedOff.checksPerSecond / fast.checksPerSecond))}% of polls saved); first log after idle p50 ${backedOff.firstLogP50} ms, p99 ${backedOff.firstLogP99} ms; ${activeCount} active shards p50 ${backedOff.activeP50} ms, p99 ${backedOff.activeP99} ms`,
    ],
  );
} finally {
  child.kill('SIGTERM');
}
