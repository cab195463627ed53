// Open files under `ulimit -n`: `sls-trigger serve` in a shell with a small file limit,
// a LogHub of many shards, one group written to and read back from every shard, then a clean
// shutdown. The bounded file cache (--max-open-files) is what keeps it under the limit.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { LogClient } from '../src/client/index.js';
import { evenRanges } from '../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { repoRoot } from './procs.js';

export interface FdsReport {
  shards: number;
  ulimit: number;
  maxOpenFiles: number;
  wrongReads: string[];
  exitCode: number | null;
  seconds: number;
}

const PER_LOGSTORE = 250;
const IN_FLIGHT = 16;

export async function fdsCampaign(opts: { shards: number; ulimit: number; maxOpenFiles: number }): Promise<FdsReport> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-fds-'));
  const bin = path.join(repoRoot, 'bin/sls-trigger.js');
  const cmd = `ulimit -n ${opts.ulimit} && exec "${process.execPath}" "${bin}" serve --port 0 --data-dir "${dir}" --max-open-files ${opts.maxOpenFiles} --no-fsync --quiet`;
  const child = spawn('bash', ['-c', cmd], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const report: FdsReport = {
    shards: opts.shards,
    ulimit: opts.ulimit,
    maxOpenFiles: opts.maxOpenFiles,
    wrongReads: [],
    exitCode: null,
    seconds: 0,
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stderr! }).on('line', (l) => {
        const m = /LogHub listening on (\S+)/.exec(l);
        if (m) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code}`)));
    });
    const c = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
    await c.createProject({ project: 'fds' });
    const shards: Array<{ logstore: string; shardId: number; key: string }> = [];
    for (let n = 0; shards.length < opts.shards; n++) {
      const count = Math.min(PER_LOGSTORE, opts.shards - shards.length);
      const logstore = `ls-${n}`;
      await c.createLogStore({ project: 'fds', logstore, shardCount: count });
      evenRanges(count).forEach((r, shardId) => shards.push({ logstore, shardId, key: r.inclusiveBeginKey }));
    }
    const each = async (fn: (s: (typeof shards)[number]) => Promise<void>) => {
      for (let i = 0; i < shards.length; i += IN_FLIGHT) await Promise.all(shards.slice(i, i + IN_FLIGHT).map(fn));
    };
    await each((s) =>
      c.putLogs({
        project: 'fds',
        logstore: s.logstore,
        hashKey: s.key,
        logGroup: { logs: [{ time: 1, contents: [{ key: 'v', value: `${s.logstore}/${s.shardId}` }] }], logTags: [] },
      }),
    );
    await each(async (s) => {
      const cursor = await c.getCursor({ project: 'fds', logstore: s.logstore, shardId: s.shardId, from: 'begin' });
      const page = await c.pullLogs({ project: 'fds', logstore: s.logstore, shardId: s.shardId, cursor, count: 10 });
      const got = page.groups.map((g) => g.value(0, 0)).join();
      if (got !== `${s.logstore}/${s.shardId}`) report.wrongReads.push(`${s.logstore}/${s.shardId}: ${got}`);
    });
    c.close();
    child.kill('SIGTERM');
    report.exitCode = await exited;
    report.seconds = Math.round((Date.now() - started) / 1000);
    return report;
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
