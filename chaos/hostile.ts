// The hostile-input campaign: seeded bad requests against `sls-trigger serve`. The
// server must stay up, answer each with an SLS JSON error and a 4xx status (never 5xx), store
// only the PutLogs it acknowledged, write nothing outside its data dir, and keep its memory bounded.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../src/client/index.js';
import { cursorDistance } from '../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { HOSTILE_LOGSTORE, HOSTILE_PROJECT, hostileRequest, sendHostile } from './hostileRequests.js';
import { startServe } from './procs.js';

const IN_FLIGHT = 8;

export interface HostileReport {
  requests: number;
  /** answers per request kind and HTTP status */
  statuses: Record<string, Record<string, number>>;
  /** answers that were not a 4xx SLS JSON error (nor a 200 to a request that may pass) */
  bad: string[];
  acknowledgedPuts: number;
  storedGroups: number;
  /** entries beside the data dir, and top-level entries in it */
  outside: string[];
  dataDirEntries: string[];
  shardProjects: string[];
  maxRssMiB: number;
  exitCode: number | null;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

function isSlsError(body: string): boolean {
  try {
    return typeof (JSON.parse(body) as { errorCode?: unknown }).errorCode === 'string';
  } catch {
    return false;
  }
}

export async function hostileCampaign(opts: { requests: number; seed: number }): Promise<HostileReport> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'slst-hostile-'));
  const dataDir = path.join(parent, 'data');
  const { proc, endpoint } = await startServe(dataDir, ['--no-fsync']);
  const report: HostileReport = {
    requests: 0,
    statuses: {},
    bad: [],
    acknowledgedPuts: 0,
    storedGroups: 0,
    outside: [],
    dataDirEntries: [],
    shardProjects: [],
    maxRssMiB: 0,
    exitCode: null,
  };
  try {
    const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
    await client.createProject({ project: HOSTILE_PROJECT });
    await client.createLogStore({ project: HOSTILE_PROJECT, logstore: HOSTILE_LOGSTORE, shardCount: 2 });
    for (let i = 0; i < opts.requests; i += IN_FLIGHT) {
      const batch = Array.from({ length: Math.min(IN_FLIGHT, opts.requests - i) }, (_, k) => i + k);
      await Promise.all(
        batch.map(async (index) => {
          const r = hostileRequest(opts.seed, index);
          const a = await sendHostile(endpoint, r);
          const kind = (report.statuses[r.kind] ??= {});
          kind[a.status] = (kind[a.status] ?? 0) + 1;
          report.requests++;
          if (a.status === 200 && (r.mayStore || r.mayPass)) {
            if (r.mayStore) report.acknowledgedPuts++;
          } else if (a.status < 400 || a.status > 499 || !isSlsError(a.body)) {
            report.bad.push(`#${index} ${r.kind} ${r.method} ${r.path}: ${a.status} ${a.body.slice(0, 160)}`);
          }
        }),
      );
      if (i % 400 === 0) report.maxRssMiB = Math.max(report.maxRssMiB, Math.round(rssMiB(proc.child.pid!)));
    }
    for (const shardId of [0, 1]) {
      const begin = await client.getCursor({ project: HOSTILE_PROJECT, logstore: HOSTILE_LOGSTORE, shardId, from: 'begin' });
      const end = await client.getCursor({ project: HOSTILE_PROJECT, logstore: HOSTILE_LOGSTORE, shardId, from: 'end' });
      report.storedGroups += Number(cursorDistance(begin, end));
      // what was stored reads back (a PullLogs over everything decodes)
      if (begin !== end)
        await client.pullLogs({ project: HOSTILE_PROJECT, logstore: HOSTILE_LOGSTORE, shardId, cursor: begin, count: 1000 });
    }
    client.close();
    report.outside = readdirSync(parent).filter((n) => n !== 'data');
    report.dataDirEntries = readdirSync(dataDir).sort();
    report.shardProjects = readdirSync(path.join(dataDir, 'shards'));
    proc.child.kill('SIGTERM');
    report.exitCode = await proc.exited;
    return report;
  } finally {
    proc.child.kill('SIGKILL');
    rmSync(parent, { recursive: true, force: true });
  }
}
