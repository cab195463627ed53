// The scheduler crash campaign: `sls-trigger run` over a 4-shard source while a
// producer writes logs with unique ids and the source is split and merged; the function appends
// what it processed to a file and fsyncs; the runner is killed with SIGKILL at seeded moments and
// restarted with the same --consumer name (or a new one). At the end: no id lost, every duplicate
// comes from a range that was in flight at a kill, and split/merge children ran only after their
// parents were drained.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../src/client/index.js';
import { evenRanges } from '../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { auditJob, parseJobConfig, type JobConfigInput } from '../src/trigger/index.js';
import { seededRandom } from '../src/sample/nginx.js';
import { kill9, repoRoot, sleep, startCli, startServe, type Proc } from './procs.js';

const PROJECT = 'chaos-job';

export interface SchedulerReport {
  consumers: 'same' | 'new';
  kills: number;
  produced: number;
  delivered: number;
  duplicates: number;
  lost: string[];
  unexplainedDuplicates: string[];
  childBeforeParent: string[];
  splits: number;
  merges: number;
  /** `audit` after the campaign: ranges the checkpoints passed with no recorded outcome (must be none) */
  auditGaps: string[];
  /** ranges with two outcomes: delivered again after a kill (allowed) */
  auditOverlaps: number;
  seconds: number;
  /** the last runner's last stderr lines (for a failed campaign) */
  runnerStderr?: string[];
}

/** The function (plain JS over the compiled runtime, as a user's would be): every id it processed, with its process and range, appended and fsynced. */
export const FUNCTION = (runtime: string, out: string) => `
import { openSync, writeSync, fsyncSync, closeSync } from 'node:fs';
import { createHandler } from ${JSON.stringify(runtime)};
export const handler = createHandler(async (batch, ctx) => {
  let text = '';
  for (let g = 0; g < batch.groups.length; g++) {
    const group = batch.groups[g];
    for (let i = 0; i < group.logCount; i++) text += group.value(i, 0) + '\\t' + process.pid + '\\t' + ctx.shardId + '\\t' + ctx.beginCursor + '\\t' + ctx.endCursor + '\\n';
  }
  const fd = openSync(${JSON.stringify(out)}, 'a');
  try { writeSync(fd, text); fsyncSync(fd); } finally { closeSync(fd); }
  return true;
}, { credentials: { accessKeyId: 'sls-trigger-local', accessKeySecret: 'sls-trigger-local-secret' } });
`;

interface Line {
  id: string;
  pid: number;
  shard: number;
  range: string;
}

export function readLines(file: string): Line[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [id, pid, shard, begin, end] = l.split('\t');
      return { id, pid: Number(pid), shard: Number(shard), range: `${begin}..${end}` };
    });
}

async function produce(c: LogClient, ids: string[], rnd: () => number): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const hashKey =
      Math.floor(rnd() * 2 ** 32)
        .toString(16)
        .padStart(8, '0') + '0'.repeat(24);
    const logs = ids.slice(i, i + 100).map((id) => ({ time: Math.floor(Date.now() / 1000), contents: [{ key: 'id', value: id }] }));
    await c.putLogs({ project: PROJECT, logstore: 'source', hashKey, logGroup: { logs, logTags: [] } });
  }
}

export async function schedulerCampaign(opts: {
  kills: number;
  logs: number;
  seed: number;
  consumers: 'same' | 'new';
  drainMs?: number;
  log?: (l: string) => void;
}): Promise<SchedulerReport> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-chaos-run-'));
  const rnd = seededRandom(opts.seed);
  const out = path.join(dir, 'processed.tsv');
  const { proc: serve, endpoint } = await startServe(path.join(dir, 'hub'), ['--no-fsync']);
  const c = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 2 } });
  const parents = new Map<number, number[]>();
  let runner: Proc | undefined;
  const report: SchedulerReport = {
    consumers: opts.consumers,
    kills: 0,
    produced: 0,
    delivered: 0,
    duplicates: 0,
    lost: [],
    unexplainedDuplicates: [],
    childBeforeParent: [],
    splits: 0,
    merges: 0,
    auditGaps: [],
    auditOverlaps: 0,
    seconds: 0,
  };
  try {
    await c.createProject({ project: PROJECT });
    await c.createLogStore({ project: PROJECT, logstore: 'source', shardCount: 4 });
    await c.createLogStore({ project: PROJECT, logstore: 'trigger-log', shardCount: 1 });
    writeFileSync(path.join(dir, 'fn.mjs'), FUNCTION(path.join(repoRoot, 'dist/runtime/index.js'), out));
    const config = {
      endpoint,
      project: PROJECT,
      sourceConfig: { logstore: 'source', startTime: 'begin' },
      jobConfig: { triggerInterval: 1, maxRetryTime: 3 },
      logConfig: { project: PROJECT, logstore: 'trigger-log' },
      target: { type: 'local', module: path.join(dir, 'fn.mjs') },
      heartbeatIntervalSeconds: 1,
      concurrency: 4,
    };
    writeFileSync(path.join(dir, 'job.json'), JSON.stringify(config));
    const ids = Array.from({ length: opts.logs }, (_, i) => `id-${String(i).padStart(7, '0')}`);
    const perRound = Math.ceil(ids.length / (opts.kills + 1));
    const pidsKilled = new Set<number>();
    for (let round = 0; round <= opts.kills; round++) {
      const consumer = opts.consumers === 'same' ? 'chaos' : `chaos-${round}`;
      runner = startCli(['run', '-c', path.join(dir, 'job.json'), '--consumer', consumer, '--quiet']);
      await produce(c, ids.slice(round * perRound, (round + 1) * perRound), rnd);
      if (round === Math.floor(opts.kills / 3)) {
        const [parent, ...children] = await c.splitShard({
          project: PROJECT,
          logstore: 'source',
          shardId: 0,
          splitKey: evenRanges(8)[1].inclusiveBeginKey,
        });
        for (const ch of children) parents.set(ch.shardID, [parent.shardID]);
        report.splits++;
      }
      if (round === Math.floor((2 * opts.kills) / 3)) {
        const writable = (await c.listShards({ project: PROJECT, logstore: 'source' }))
          .filter((s) => s.status === 'readwrite')
          .sort((a, b) => a.inclusiveBeginKey.localeCompare(b.inclusiveBeginKey));
        const [merged, left, right] = await c.mergeShards({ project: PROJECT, logstore: 'source', shardId: writable[1].shardID });
        parents.set(merged.shardID, [left.shardID, right.shardID]);
        report.merges++;
      }
      if (round === opts.kills) break;
      // Kill once this runner is at work (it delivered something of this round's data), at a random point after.
      const delivered = readLines(out).length;
      for (let waited = 0; readLines(out).length === delivered && waited < 30_000; waited += 50) await sleep(50);
      await sleep(rnd() * 1000);
      pidsKilled.add(runner.child.pid!);
      await kill9(runner);
      report.kills++;
      opts.log?.(
        `kill ${report.kills}/${opts.kills}: ${new Set(readLines(out).map((l) => l.id)).size} of ${Math.min(ids.length, (round + 1) * perRound)} ids delivered`,
      );
    }
    report.produced = ids.length;
    for (let waited = 0; new Set(readLines(out).map((l) => l.id)).size < ids.length && waited < (opts.drainMs ?? 120_000); waited += 250)
      await sleep(250);
    const last = runner!;
    last.child.kill('SIGTERM');
    await last.exited;
    report.runnerStderr = last.stderr.slice(-20);
    verify(readLines(out), ids, pidsKilled, parents, report);
    const audit = await auditJob(c, {
      project: PROJECT,
      logstore: 'source',
      jobName: parseJobConfig(config as JobConfigInput).jobName,
      logConfig: { project: PROJECT, logstore: 'trigger-log' },
    });
    report.auditGaps = audit.shards.flatMap((s) => s.gaps.map((g) => `shard ${s.shardId} [${g.begin}, ${g.end})`));
    report.auditOverlaps = audit.overlaps;
    report.seconds = Math.round((Date.now() - started) / 1000);
    return report;
  } finally {
    runner?.child.kill('SIGKILL');
    c.close();
    serve.child.kill('SIGKILL');
    await serve.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function verify(lines: Line[], ids: string[], killed: Set<number>, parents: Map<number, number[]>, report: SchedulerReport): void {
  const first = new Map<string, Line>();
  const lastRange = new Map<string, string>(); // pid/shard -> the last range that process processed on that shard
  for (const l of lines) lastRange.set(`${l.pid}/${l.shard}`, l.range);
  let duplicates = 0;
  for (const l of lines) {
    const f = first.get(l.id);
    if (!f) {
      first.set(l.id, l);
      continue;
    }
    duplicates++;
    // Explained: the first delivery was the last range a killed runner processed on that shard
    // (processed, its checkpoint not yet committed when the kill came).
    if (!killed.has(f.pid) || lastRange.get(`${f.pid}/${f.shard}`) !== f.range)
      report.unexplainedDuplicates.push(`${l.id} first in ${f.pid}/${f.shard} ${f.range}`);
  }
  report.duplicates = duplicates;
  report.delivered = first.size;
  report.lost = ids.filter((id) => !first.has(id));
  const firstIndex = new Map<number, number>();
  const lastIndex = new Map<number, number>();
  lines.forEach((l, i) => {
    if (!firstIndex.has(l.shard)) firstIndex.set(l.shard, i);
    lastIndex.set(l.shard, i);
  });
  for (const [child, ps] of parents) {
    for (const p of ps) {
      if ((firstIndex.get(child) ?? Infinity) < (lastIndex.get(p) ?? -1))
        report.childBeforeParent.push(`shard ${child} ran before parent ${p} was drained`);
    }
  }
}

export function schedulerFailures(r: SchedulerReport): number {
  return r.lost.length + r.unexplainedDuplicates.length + r.childBeforeParent.length + r.auditGaps.length;
}
