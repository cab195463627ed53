// Storage campaigns, at full size:
//  disk: `serve` on a small tmpfs under four writers. Each cycle fills the disk until PutLogs is
//        refused, kills the server with SIGKILL on some cycles, grows the tmpfs without a restart,
//        and writes on. At the end, after one more kill -9, every acknowledged id must read back
//        exactly once. Needs `mount` (root).
//  lock: two `serve` started at the same moment on one data directory, again and again: exactly one
//        may listen, the other must refuse naming the holder; the winner is then killed with SIGKILL
//        and the next pair must start on the same directory (no stale lock).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { kill9, startCli, startServe, waitForStderr, type Proc } from './procs.js';

const P = 'p-disk';
const LS = 'store1';

export interface DiskReport {
  cycles: number;
  acknowledged: number;
  refusedServerBusy: number;
  otherErrors: string[];
  lost: number;
  duplicated: number;
  kills: number;
  seconds: number;
}

async function readIds(client: LogClient): Promise<string[]> {
  const ids: string[] = [];
  for (const s of await client.listShards({ project: P, logstore: LS })) {
    let cursor = await client.getCursor({ project: P, logstore: LS, shardId: s.shardID, from: 'begin' });
    for (;;) {
      const page = await client.pullLogs({ project: P, logstore: LS, shardId: s.shardID, cursor, count: 200 });
      for (const g of page.groups) ids.push(g.value(0, 0));
      if (page.count === 0) break;
      cursor = page.nextCursor;
    }
  }
  return ids;
}

/** Four writers until `refusals` ServerBusy answers came back in a row from each. */
async function fillUp(client: LogClient, cycle: number, report: DiskReport, acked: Set<string>): Promise<void> {
  await Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      let refusedInARow = 0;
      for (let i = 0; refusedInARow < 3; i++) {
        const id = `c${cycle}-w${w}-${i}`;
        const pad = randomBytes(800 + ((i * 97) % 1200)).toString('base64');
        try {
          await client.putLogs({
            project: P,
            logstore: LS,
            logGroup: {
              logs: [
                {
                  time: 1_700_000_000,
                  contents: [
                    { key: 'id', value: id },
                    { key: 'pad', value: pad },
                  ],
                },
              ],
              logTags: [],
            },
          });
          acked.add(id);
          refusedInARow = 0;
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'ServerBusy') (report.refusedServerBusy++, refusedInARow++);
          else if (report.otherErrors.length < 20) report.otherErrors.push(`${code}: ${(e as Error).message}`);
          else break;
        }
      }
    }),
  );
}

export async function diskCampaign(o: { cycles: number; log: (line: string) => void }): Promise<DiskReport> {
  const started = Date.now();
  const mnt = mkdtempSync(path.join(os.tmpdir(), 'slst-chaos-disk-'));
  const report: DiskReport = {
    cycles: o.cycles,
    acknowledged: 0,
    refusedServerBusy: 0,
    otherErrors: [],
    lost: 0,
    duplicated: 0,
    kills: 0,
    seconds: 0,
  };
  const acked = new Set<string>();
  let sizeKb = 2048;
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', mnt]);
  const dir = path.join(mnt, 'data');
  let server = await startServe(dir);
  let client = new LogClient({ endpoint: server.endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
  const restart = async () => {
    client.close();
    await kill9(server.proc);
    report.kills++;
    server = await startServe(dir);
    client = new LogClient({ endpoint: server.endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
  };
  try {
    await client.createProject({ project: P });
    await client.createLogStore({ project: P, logstore: LS, shardCount: 2 });
    for (let cycle = 0; cycle < o.cycles; cycle++) {
      await fillUp(client, cycle, report, acked);
      if (cycle % 2 === 1) await restart(); // on the full disk
      sizeKb += 512;
      execFileSync('mount', ['-o', `remount,size=${sizeKb}k`, mnt]);
      o.log(`disk: cycle ${cycle + 1}/${o.cycles}, ${acked.size} acknowledged, tmpfs now ${sizeKb} KiB`);
    }
    await restart();
    const ids = await readIds(client);
    report.duplicated = ids.length - new Set(ids).size;
    const seen = new Set(ids);
    report.lost = [...acked].filter((id) => !seen.has(id)).length;
    report.acknowledged = acked.size;
    client.close();
    await kill9(server.proc);
  } finally {
    execFileSync('umount', ['-l', mnt]);
    rmSync(mnt, { recursive: true, force: true });
  }
  report.seconds = Math.round((Date.now() - started) / 1000);
  return report;
}

export const diskFailures = (r: DiskReport) => r.lost + r.duplicated + r.otherErrors.length + (r.refusedServerBusy > 0 ? 0 : 1);

export interface LockReport {
  rounds: number;
  bothListened: number;
  noneListened: number;
  badRefusals: string[];
}

export async function lockCampaign(o: { rounds: number; log: (line: string) => void }): Promise<LockReport> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-chaos-lock-'));
  const report: LockReport = { rounds: o.rounds, bothListened: 0, noneListened: 0, badRefusals: [] };
  try {
    for (let round = 0; round < o.rounds; round++) {
      const pair = [0, 1].map(() => startCli(['serve', '--port', '0', '--data-dir', dir, '--quiet']));
      const outcome = await Promise.all(
        pair.map((p) =>
          waitForStderr(p, /LogHub listening on/).then(
            () => 'listening' as const,
            () => 'refused' as const,
          ),
        ),
      );
      const winners = pair.filter((_, i) => outcome[i] === 'listening');
      if (winners.length === 2) report.bothListened++;
      if (winners.length === 0) report.noneListened++;
      const loser: Proc | undefined = pair.find((_, i) => outcome[i] === 'refused');
      const winnerPid = winners[0]?.child.pid;
      if (
        loser &&
        !loser.stderr.some((l) => l.includes(`is in use by another sls-trigger process (pid ${winnerPid})`)) &&
        report.badRefusals.length < 10
      )
        report.badRefusals.push(loser.stderr.join(' | '));
      for (const w of winners) await kill9(w);
      if ((round + 1) % 10 === 0) o.log(`lock: ${round + 1}/${o.rounds} rounds`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

export const lockFailures = (r: LockReport) => r.bothListened + r.noneListened + r.badRefusals.length;
