// The LogHub crash campaign: `sls-trigger serve` on the file store under mixed lz4 and
// uncompressed PutLogs (hash-key routed and load-balanced), SplitShard/MergeShards, checkpoint
// commits and delete/recreate of a logstore, killed with SIGKILL at seeded moments and restarted
// on the same data dir. At the end every acknowledged log is readable exactly once, in order per
// writer and shard, no group is torn, acknowledged checkpoints read back, and a deleted logstore's
// data never reappears.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../src/client/index.js';
import { CompressType } from '../src/codec/index.js';
import { SlsTransportError } from '../src/errors/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { seededRandom } from '../src/sample/nginx.js';
import { kill9, sleep, startServe } from './procs.js';

const PROJECT = 'chaos-hub';
const MAIN = 'main';
const SCRATCH = 'scratch';
const GROUP = 'cg';
const WRITERS = 4;

export interface LoghubReport {
  kills: number;
  ackedPuts: number;
  ackedLogs: number;
  splits: number;
  merges: number;
  checkpoints: number;
  recreates: number;
  lost: string[];
  duplicated: string[];
  torn: string[];
  outOfOrder: string[];
  unknown: string[];
  checkpointMismatches: string[];
  resurrected: string[];
}

interface Put {
  ids: string[];
  acked: boolean;
}

/** Everything the driver asked for and what was acknowledged. */
class Ledger {
  readonly puts = new Map<string, Put>(); // key: writer/n
  readonly checkpoints = new Map<number, { values: string[]; acked: number }>();
  readonly deletedGens = new Set<number>();
  scratchGen = 0;
  splits = 0;
  merges = 0;
  commits = 0;
  recreates = 0;
}

function client(endpoint: string): LogClient {
  return new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 }, timeoutMs: 5000 });
}

async function writer(c: LogClient, ledger: Ledger, w: number, next: number[], rnd: () => number, alive: () => boolean): Promise<void> {
  while (alive()) {
    const n = next[w]++;
    const size = 1 + Math.floor(rnd() * 5);
    const ids = Array.from({ length: size }, (_, k) => `w${w}-${String(n).padStart(6, '0')}-${k}`);
    const put: Put = { ids, acked: false };
    ledger.puts.set(`${w}/${n}`, put);
    const logs = ids.map((id) => ({
      time: 1_700_000_000 + n,
      contents: [
        { key: 'id', value: id },
        { key: 'pad', value: 'x'.repeat(50 + Math.floor(rnd() * 400)) },
      ],
    }));
    const hashKey =
      rnd() < 0.5
        ? Math.floor(rnd() * 2 ** 32)
            .toString(16)
            .padStart(8, '0') + '0'.repeat(24)
        : undefined;
    try {
      await c.putLogs({
        project: PROJECT,
        logstore: MAIN,
        hashKey,
        compressType: rnd() < 0.5 ? CompressType.Lz4 : CompressType.None,
        logGroup: { logs, topic: `w${w}`, logTags: [] },
      });
      put.acked = true;
    } catch {
      return; // the kill: in flight, may or may not have landed
    }
  }
}

async function admin(c: LogClient, ledger: Ledger, rnd: () => number, alive: () => boolean, sent: () => void): Promise<void> {
  while (alive()) {
    const r = rnd();
    if (r < 0.25 || (r >= 0.7 && r < 0.85)) sent(); // a split/merge or a delete is about to go out
    try {
      if (r < 0.25) {
        const writable = (await c.listShards({ project: PROJECT, logstore: MAIN })).filter((s) => s.status === 'readwrite');
        if (writable.length < 8) {
          const s = writable[Math.floor(rnd() * writable.length)];
          const b = BigInt('0x' + s.inclusiveBeginKey);
          const e = s.exclusiveEndKey === 'ffffffffffffffffffffffffffffffff' ? 1n << 128n : BigInt('0x' + s.exclusiveEndKey);
          if (e - b > 2n) {
            await c.splitShard({
              project: PROJECT,
              logstore: MAIN,
              shardId: s.shardID,
              splitKey: ((b + e) / 2n).toString(16).padStart(32, '0'),
            });
            ledger.splits++;
          }
        } else if (writable.length > 2) {
          const sorted = [...writable].sort((x, y) => x.inclusiveBeginKey.localeCompare(y.inclusiveBeginKey));
          await c.mergeShards({ project: PROJECT, logstore: MAIN, shardId: sorted[Math.floor(rnd() * (sorted.length - 1))].shardID });
          ledger.merges++;
        }
      } else if (r < 0.7) {
        const shards = await c.listShards({ project: PROJECT, logstore: MAIN });
        const s = shards[Math.floor(rnd() * shards.length)];
        const value = await c.getCursor({ project: PROJECT, logstore: MAIN, shardId: s.shardID, from: 'end' });
        const cp = ledger.checkpoints.get(s.shardID) ?? { values: [], acked: -1 };
        ledger.checkpoints.set(s.shardID, cp);
        cp.values.push(value);
        await c.updateCheckpoint({
          project: PROJECT,
          logstore: MAIN,
          consumerGroup: GROUP,
          consumer: 'chaos',
          shardId: s.shardID,
          checkpoint: value,
          forceSuccess: true,
        });
        cp.acked = cp.values.length - 1;
        ledger.commits++;
      } else if (r < 0.85) {
        const gen = ledger.scratchGen;
        await c.deleteLogStore({ project: PROJECT, logstore: SCRATCH }).catch((e: { code?: string }) => {
          if (e.code !== 'LogStoreNotExist') throw e;
        });
        ledger.deletedGens.add(gen);
        ledger.scratchGen = gen + 1;
        await c.createLogStore({ project: PROJECT, logstore: SCRATCH, shardCount: 1 });
        ledger.recreates++;
      } else {
        const id = `s${ledger.scratchGen}-${Math.floor(rnd() * 1e9)}`;
        await c.putLogs({
          project: PROJECT,
          logstore: SCRATCH,
          logGroup: { logs: [{ time: 1_700_000_000, contents: [{ key: 'id', value: id }] }], logTags: [] },
        });
      }
    } catch (e) {
      if (!alive() || e instanceof SlsTransportError) return; // the kill
      const code = (e as { code?: string }).code;
      if (code !== 'LogStoreNotExist' && code !== 'ShardReadOnly' && code !== 'ParameterInvalid') throw e;
    }
  }
}

async function readShardGroups(c: LogClient, logstore: string, shardId: number): Promise<string[][]> {
  const out: string[][] = [];
  let cursor = await c.getCursor({ project: PROJECT, logstore, shardId, from: 'begin' });
  for (;;) {
    const page = await c.pullLogs({ project: PROJECT, logstore, shardId, cursor, count: 1000 });
    for (const g of page.groups) out.push(Array.from({ length: g.logCount }, (_, i) => g.value(i, 0)));
    if (page.count === 0 || page.nextCursor === cursor) return out;
    cursor = page.nextCursor;
  }
}

async function verify(c: LogClient, ledger: Ledger, report: LoghubReport): Promise<void> {
  const seen = new Map<string, number>();
  const putOf = (id: string) => id.replace(/^w(\d+)-0*(\d+)-\d+$/, '$1/$2');
  for (const s of await c.listShards({ project: PROJECT, logstore: MAIN })) {
    const lastPut = new Map<number, number>();
    for (const ids of await readShardGroups(c, MAIN, s.shardID)) {
      const key = putOf(ids[0]);
      const put = ledger.puts.get(key);
      if (!put) {
        report.unknown.push(ids.join(','));
        continue;
      }
      if (ids.join() !== put.ids.join()) report.torn.push(`${key}: ${ids.join(',')}`);
      const [w, n] = key.split('/').map(Number);
      if ((lastPut.get(w) ?? -1) >= n) report.outOfOrder.push(`shard ${s.shardID}: ${key} after ${w}/${lastPut.get(w)}`);
      lastPut.set(w, n);
      for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
  }
  for (const [key, put] of ledger.puts) {
    for (const id of put.ids) {
      const n = seen.get(id) ?? 0;
      if (n > 1) report.duplicated.push(id);
      if (put.acked && n === 0) report.lost.push(`${key}:${id}`);
    }
  }
  const stored = new Map(
    (await c.getCheckpoint({ project: PROJECT, logstore: MAIN, consumerGroup: GROUP })).map((x) => [x.shard, x.checkpoint]),
  );
  for (const [shard, cp] of ledger.checkpoints) {
    if (cp.acked < 0) continue;
    // The acknowledged value, or one sent after it whose answer the kill cut off.
    if (!cp.values.slice(cp.acked).includes(stored.get(shard) ?? ''))
      report.checkpointMismatches.push(`shard ${shard}: ${stored.get(shard)} not ${cp.values[cp.acked]}`);
  }
  const scratch = await readShardGroups(c, SCRATCH, 0).catch(() => []);
  for (const ids of scratch)
    for (const id of ids) if (ledger.deletedGens.has(Number(/^s(\d+)-/.exec(id)?.[1]))) report.resurrected.push(id);
}

export async function loghubCampaign(opts: {
  kills: number;
  seed: number;
  minRunMs?: number;
  maxRunMs?: number;
  log?: (line: string) => void;
}): Promise<LoghubReport> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-chaos-hub-'));
  const rnd = seededRandom(opts.seed);
  const ledger = new Ledger();
  const next = Array.from({ length: WRITERS }, () => 0);
  const report: LoghubReport = {
    kills: 0,
    ackedPuts: 0,
    ackedLogs: 0,
    splits: 0,
    merges: 0,
    checkpoints: 0,
    recreates: 0,
    lost: [],
    duplicated: [],
    torn: [],
    outOfOrder: [],
    unknown: [],
    checkpointMismatches: [],
    resurrected: [],
  };
  try {
    for (let round = 0; round <= opts.kills; round++) {
      const { proc, endpoint } = await startServe(dir);
      const c = client(endpoint);
      if (round === 0) {
        await c.createProject({ project: PROJECT });
        await c.createLogStore({ project: PROJECT, logstore: MAIN, shardCount: 4 });
        await c.createLogStore({ project: PROJECT, logstore: SCRATCH, shardCount: 1 });
        await c.createConsumerGroup({ project: PROJECT, logstore: MAIN, consumerGroup: GROUP, timeout: 60, order: true });
      }
      if (round === opts.kills) {
        await verify(c, ledger, report);
        c.close();
        proc.child.kill('SIGTERM');
        await proc.exited;
        break;
      }
      let alive = true;
      // Half the kills land 0-10 ms after a split/merge or delete was sent: the windows where a
      // metadata change and the file work around it can part.
      const targeted = rnd() < 0.5;
      let armed = false;
      let onSent: () => void = () => undefined;
      const adminSent = new Promise<void>((r) => (onSent = () => armed && r()));
      const work = [
        ...Array.from({ length: WRITERS }, (_, w) => writer(c, ledger, w, next, seededRandom(opts.seed * 31 + round * 7 + w), () => alive)),
        admin(
          c,
          ledger,
          seededRandom(opts.seed * 17 + round),
          () => alive,
          () => onSent(),
        ),
      ];
      const minMs = opts.minRunMs ?? 150;
      const runMs = minMs + rnd() * ((opts.maxRunMs ?? 700) - minMs);
      if (targeted) {
        await sleep(minMs);
        armed = true;
        await Promise.race([adminSent, sleep(runMs)]);
        await sleep(rnd() * 10);
      } else await sleep(runMs);
      await kill9(proc);
      alive = false;
      await Promise.all(work);
      c.close();
      report.kills++;
      opts.log?.(`kill ${report.kills}/${opts.kills}: ${[...ledger.puts.values()].filter((p) => p.acked).length} puts acknowledged so far`);
    }
    const acked = [...ledger.puts.values()].filter((p) => p.acked);
    Object.assign(report, {
      ackedPuts: acked.length,
      ackedLogs: acked.reduce((n, p) => n + p.ids.length, 0),
      splits: ledger.splits,
      merges: ledger.merges,
      checkpoints: ledger.commits,
      recreates: ledger.recreates,
    });
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function loghubFailures(r: LoghubReport): number {
  return (
    r.lost.length +
    r.duplicated.length +
    r.torn.length +
    r.outOfOrder.length +
    r.unknown.length +
    r.checkpointMismatches.length +
    r.resurrected.length
  );
}
