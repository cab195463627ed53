// bench/checkpoints: ConsumerGroupUpdateCheckPoint commits per second against a file-backed LogHub
// (fsync on, as by default) holding 40 shards and holding 10,000 (logstores of 250, one consumer
// group each), 8 commits in flight, in the same run: a commit must cost the same whatever the size
// of the hub (store/checkpointJournal.ts). Target: the rate at 10,000 ≥ 0.8x the rate at 40.
// Usage: tsx bench/checkpoints.ts [--json] [--seconds 5] [--inflight 8]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../src/client/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub } from '../src/loghub/index.js';
import { numberFlag, report, wantsJson } from './args.js';

const seconds = numberFlag('seconds', 5);
const inflight = numberFlag('inflight', 8);
const PER_LOGSTORE = 250;

async function commitRate(shards: number) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'slst-cp-bench-'));
  const hub = await startLogHub({ port: 0, dataDir, ttlIntervalMs: 0 });
  const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  try {
    await client.createProject({ project: 'cpbench' });
    const stores: Array<{ logstore: string; cursors: string[] }> = [];
    for (let left = shards, i = 0; left > 0; i++, left -= PER_LOGSTORE) {
      const logstore = `src-${i}`;
      const n = Math.min(PER_LOGSTORE, left);
      await client.createLogStore({ project: 'cpbench', logstore, shardCount: n });
      await client.createConsumerGroup({ project: 'cpbench', logstore, consumerGroup: 'g', timeout: 60, order: false });
      const cursors: string[] = [];
      for (let shardId = 0; shardId < n; shardId++)
        cursors.push(await client.getCursor({ project: 'cpbench', logstore, shardId, from: 'begin' }));
      stores.push({ logstore, cursors });
    }
    let commits = 0;
    let k = 0;
    const until = performance.now() + seconds * 1000;
    const loop = async () => {
      while (performance.now() < until) {
        const s = stores[k % stores.length];
        const shardId = Math.floor(k++ / stores.length) % s.cursors.length;
        const cursor = s.cursors[shardId];
        await client.updateCheckpoint({
          project: 'cpbench',
          logstore: s.logstore,
          consumerGroup: 'g',
          shardId,
          checkpoint: cursor,
          forceSuccess: true,
        });
        commits++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: inflight }, loop));
    const rate = commits / ((performance.now() - t0) / 1000);
    return { shards, commitsPerSecond: Math.round(rate), metaJsonBytes: statSync(path.join(dataDir, 'meta.json')).size };
  } finally {
    client.close();
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const small = await commitRate(40);
const large = await commitRate(10_000);
const ratio = large.commitsPerSecond / small.commitsPerSecond;
report(wantsJson(), { bench: 'checkpoints', seconds, inflight, small, large, ratio: +ratio.toFixed(2) }, [
  `40 shards:     ${small.commitsPerSecond} commits/s (meta.json ${(small.metaJsonBytes / 1024).toFixed(0)} KiB)`,
  `10,000 shards: ${large.commitsPerSecond} commits/s (meta.json ${(large.metaJsonBytes / 1024).toFixed(0)} KiB)`,
  `ratio: ${ratio.toFixed(2)}x (target >= 0.8x)`,
]);
