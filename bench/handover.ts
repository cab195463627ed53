// bench/handover: scale-out and hand-over of one job over `sls-trigger serve`, measured on the real
// CLI. An 8-shard source takes a steady stream of logs; two `run` instances share the job, a third
// joins (time from its start to its first task), then it gets SIGTERM (time until the others' first
// task on the shards it held); every id is then checked: none lost, duplicates only for ranges in
// flight. Heartbeat interval --heartbeat (default 2 s; the group timeout is three of them).
// Usage: tsx bench/handover.ts [--json] [--heartbeat 2]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { FUNCTION, readLines } from '../chaos/scheduler.js';
import { repoRoot, sleep, startCli, startServe, type Proc } from '../chaos/procs.js';
import { numberFlag, report, wantsJson } from './args.js';

const heartbeat = numberFlag('heartbeat', 2);
const SHARDS = 8;
const keyFor = (i: number) => ((BigInt(i) * 2n ** 128n) / BigInt(SHARDS) + 1n).toString(16).padStart(32, '0');
const TASK = /^task shard=(\d+) .* Success/;

/** Resolves with the time (ms) of the first stderr line from `from` on whose task shard is in `shards` (any when undefined). */
async function firstTask(p: Proc, from: number, shards?: Set<number>): Promise<{ atMs: number; shard: number }> {
  for (let seen = from; ; await sleep(10)) {
    for (; seen < p.stderr.length; seen++) {
      const m = TASK.exec(p.stderr[seen]);
      if (m && (!shards || shards.has(Number(m[1])))) return { atMs: performance.now(), shard: Number(m[1]) };
    }
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-handover-'));
const { proc: serve, endpoint } = await startServe(path.join(dir, 'data'));
const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY });
const runs: Proc[] = [];
try {
  await client.createProject({ project: 'handover' });
  await client.createLogStore({ project: 'handover', logstore: 'source', shardCount: SHARDS });
  await client.createLogStore({ project: 'handover', logstore: 'trigger-log', shardCount: 1 });
  const out = path.join(dir, 'processed.tsv');
  writeFileSync(path.join(dir, 'fn.mjs'), FUNCTION(path.join(repoRoot, 'dist/runtime/index.js'), out));
  const job = path.join(dir, 'job.json');
  writeFileSync(
    job,
    JSON.stringify({
      endpoint,
      project: 'handover',
      jobName: 'handover',
      sourceConfig: { logstore: 'source', startTime: 'begin' },
      jobConfig: { triggerInterval: 1, maxRetryTime: 3 },
      logConfig: { project: 'handover', logstore: 'trigger-log' },
      target: { type: 'local', module: path.join(dir, 'fn.mjs') },
      heartbeatIntervalSeconds: heartbeat,
      concurrency: SHARDS,
    }),
  );
  // a steady stream: one log per shard every 100 ms
  const ids: string[] = [];
  let producing = true;
  const producer = (async () => {
    for (let n = 0; producing; n++) {
      for (let s = 0; s < SHARDS; s++) {
        const id = `s${s}-${n}`;
        await client.putLogs({
          project: 'handover',
          logstore: 'source',
          hashKey: keyFor(s),
          logGroup: { logs: [{ time: Math.floor(Date.now() / 1000), contents: [{ key: 'id', value: id }] }], logTags: [] },
        });
        ids.push(id);
      }
      await sleep(100);
    }
  })();
  const run = (name: string) => startCli(['run', '-c', job, '--consumer', name, '--quiet']);
  const [a, b] = [run('a'), run('b')];
  runs.push(a, b);
  await Promise.all([firstTask(a, 0), firstTask(b, 0)]);
  await sleep(heartbeat * 2000); // settled: a and b hold four shards each
  const joinedAt = performance.now();
  const c = run('c');
  runs.push(c);
  const joined = await firstTask(c, 0);
  await sleep(heartbeat * 2000);
  const held = new Set(
    c.stderr
      .map((l) => TASK.exec(l))
      .filter((m) => m !== null)
      .map((m) => Number(m![1])),
  );
  const [fromA, fromB] = [a.stderr.length, b.stderr.length];
  const stoppedAt = performance.now();
  c.child.kill('SIGTERM');
  const handedOver = await Promise.race([firstTask(a, fromA, held), firstTask(b, fromB, held)]);
  await c.exited;
  producing = false;
  await producer;
  for (let waited = 0; new Set(readLines(out).map((l) => l.id)).size < ids.length && waited < 60_000; waited += 200) await sleep(200);
  const lines = readLines(out);
  const seen = new Map<string, number>();
  for (const l of lines) seen.set(l.id, (seen.get(l.id) ?? 0) + 1);
  const lost = ids.filter((id) => !seen.has(id)).length;
  const duplicated = [...seen.values()].filter((n) => n > 1).length;
  const f = (ms: number) => +(ms / 1000).toFixed(2);
  report(
    wantsJson(),
    {
      bench: 'handover',
      shards: SHARDS,
      heartbeatSeconds: heartbeat,
      groupTimeoutSeconds: heartbeat * 3,
      joinToFirstTaskSeconds: f(joined.atMs - joinedAt),
      stoppedShards: [...held].sort((x, y) => x - y),
      sigtermToTakeoverSeconds: f(handedOver.atMs - stoppedAt),
      produced: ids.length,
      lost,
      duplicated,
    },
    [
      `${SHARDS} shards, heartbeat ${heartbeat} s (group timeout ${heartbeat * 3} s), 2 -> 3 -> 2 instances of run:`,
      `  a third instance's first task ${f(joined.atMs - joinedAt)} s after its start`,
      `  SIGTERM to the others' first task on its shards (${[...held].sort((x, y) => x - y).join(', ')}): ${f(handedOver.atMs - stoppedAt)} s`,
      `  ${ids.length} ids produced, ${lost} lost, ${duplicated} delivered more than once`,
    ],
  );
} finally {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGTERM');
  await Promise.all(runs.map((r) => r.exited));
  client.close();
  serve.child.kill('SIGTERM');
  await serve.exited;
  rmSync(dir, { recursive: true, force: true });
}
