// Hostile input to `sls-trigger serve` (issue 10 §4): 2,000 seeded bad requests. The server stays
// up, answers each with an SLS JSON error and a 4xx status (never 5xx), stores only the PutLogs it
// acknowledged, writes nothing outside its data directory, and its memory stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../../src/client/index.js';
import { cursorDistance } from '../../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { startCli } from '../helpers/cli.js';
import { HOSTILE_LOGSTORE, HOSTILE_PROJECT, hostileRequest, sendHostile } from '../helpers/hostile.js';
import { propertySeed } from '../helpers/fastCheck.js';

const REQUESTS = Number(process.env.HOSTILE_REQUESTS ?? 2000);
const IN_FLIGHT = 8;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

test(`${REQUESTS} hostile requests: 4xx SLS errors only, nothing stored but what was acknowledged`, async () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'slst-hostile-'));
  const dataDir = path.join(parent, 'data');
  const serve = startCli(['serve', '--port', '0', '--data-dir', dataDir, '--no-fsync', '--quiet']);
  try {
    const endpoint = /LogHub listening on (\S+)/.exec(await serve.waitFor((l) => l.includes('LogHub listening on')))![1];
    const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
    await client.createProject({ project: HOSTILE_PROJECT });
    await client.createLogStore({ project: HOSTILE_PROJECT, logstore: HOSTILE_LOGSTORE, shardCount: 2 });
    const byKind = new Map<string, Map<number, number>>();
    const bad: string[] = [];
    let stored = 0;
    let maxRss = 0;
    for (let i = 0; i < REQUESTS; i += IN_FLIGHT) {
      const batch = Array.from({ length: Math.min(IN_FLIGHT, REQUESTS - i) }, (_, k) => i + k);
      await Promise.all(
        batch.map(async (index) => {
          const r = hostileRequest(propertySeed, index);
          const a = await sendHostile(endpoint, r);
          const counts = byKind.get(r.kind) ?? new Map<number, number>();
          counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
          byKind.set(r.kind, counts);
          if (a.status === 200 && (r.mayStore || r.mayPass)) {
            if (r.mayStore) stored++;
            return;
          }
          let code: unknown;
          try {
            code = (JSON.parse(a.body) as { errorCode?: unknown }).errorCode;
          } catch {
            code = undefined;
          }
          if (a.status < 400 || a.status > 499 || typeof code !== 'string') bad.push(`#${index} ${r.kind} ${r.method} ${r.path}: ${a.status} ${a.body.slice(0, 160)}`);
        }),
      );
      if (i % 400 === 0) maxRss = Math.max(maxRss, rssMiB(serve.child.pid!));
    }
    assert.deepEqual(bad, [], `answers that were not a 4xx SLS JSON error (seed ${propertySeed})`);
    // Every kind was exercised and refused at least once.
    assert.deepEqual([...byKind.keys()].sort(), ['auth', 'bomb', 'consumer-groups', 'cursors', 'json-bodies', 'names', 'putlogs-body', 'raw-http']);
    // Stored: exactly the acknowledged PutLogs, one group each.
    let groups = 0;
    for (const shardId of [0, 1]) {
      const begin = await client.getCursor({ project: HOSTILE_PROJECT, logstore: HOSTILE_LOGSTORE, shardId, from: 'begin' });
      const end = await client.getCursor({ project: HOSTILE_PROJECT, logstore: HOSTILE_LOGSTORE, shardId, from: 'end' });
      groups += Number(cursorDistance(begin, end));
      if (begin !== end) await client.pullLogs({ project: HOSTILE_PROJECT, logstore: HOSTILE_LOGSTORE, shardId, cursor: begin, count: 1000 });
    }
    assert.equal(groups, stored, 'stored groups = acknowledged PutLogs');
    assert.deepEqual(readdirSync(parent), ['data'], 'nothing written beside the data directory');
    assert.deepEqual(readdirSync(dataDir).sort(), ['meta.json', 'shards']);
    assert.deepEqual(readdirSync(path.join(dataDir, 'shards')), [HOSTILE_PROJECT], 'no directory for a refused name');
    assert.ok(maxRss < 600, `server RSS stayed bounded (max ${maxRss.toFixed(0)} MiB)`);
    client.close();
    serve.child.kill('SIGTERM');
    assert.equal(await serve.exit, 0);
  } finally {
    serve.child.kill('SIGKILL');
    rmSync(parent, { recursive: true, force: true });
  }
});
