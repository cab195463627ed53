// What must survive a crash between a metadata change and the file work around it:
// writes to split/merge children, delete-then-recreate, a failed shard open, and open files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fdsCampaign } from '../../chaos/fds.js';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub } from '../../src/loghub/index.js';
import { FileStore } from '../../src/loghub/store/fileStore.js';
import type { Hub } from '../../src/loghub/hub.js';
import type { DataRef, HubMeta, ShardLog } from '../../src/loghub/store/types.js';

/** A file store whose metadata writes wait until `release()`: the moment a crash would hit. */
class HeldMetaStore extends FileStore {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  override async saveMeta(meta: HubMeta): Promise<void> {
    const snapshot = structuredClone(meta);
    if (this.gate) await this.gate;
    return super.saveMeta(snapshot);
  }
  /** shard logs opened (for a read or a write) while the metadata write was held */
  readonly openedWhileHeld: number[] = [];
  override shard(ref: DataRef, shardId: number): Promise<ShardLog> {
    if (this.gate) this.openedWhileHeld.push(shardId);
    return super.shard(ref, shardId);
  }
}

/** Resolves when the hub is asked for a shard's log: the put has been received and routed. */
function whenShardLogAsked(hub: Hub): Promise<void> {
  return new Promise((resolve) => {
    const original = hub.shardLog.bind(hub);
    hub.shardLog = (...args) => (resolve(), original(...args));
  });
}
const group = (v: string) => ({ logs: [{ time: 1_700_000_000, contents: [{ key: 'v', value: v }] }], logTags: [] });

async function hubOn(dir: string, store = new FileStore({ dataDir: dir, fsync: false })) {
  const hub = await startLogHub({ store, ttlIntervalMs: 0 });
  const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
  return { hub, client, close: async () => (client.close(), await hub.close()) };
}

test('a write to a split child is acknowledged only once the split is durable', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-dur-'));
  const store = new HeldMetaStore({ dataDir: dir, fsync: false });
  const a = await hubOn(dir, store);
  try {
    await a.client.createProject({ project: 'p-split' });
    await a.client.createLogStore({ project: 'p-split', logstore: 'store1', shardCount: 1 });
    store.hold(); // the split's metadata write is "in flight" until release
    const split = a.client.splitShard({ project: 'p-split', logstore: 'store1', shardId: 0, splitKey: '80000000000000000000000000000000' });
    let putDone = false;
    const routed = whenShardLogAsked(a.hub.state);
    // Routed by hash key into the left child (shard 1), which exists only in memory so far.
    const put = a.client
      .putLogs({ project: 'p-split', logstore: 'store1', hashKey: '00000000000000000000000000000001', logGroup: group('child') })
      .finally(() => (putDone = true));
    await routed;
    // Had the hub not waited for the split's metadata, it would have opened the child's log
    // within that same call, before `routed` resolved.
    assert.deepEqual(store.openedWhileHeld, [], 'no shard log opened while the split could still be lost');
    assert.equal(putDone, false, 'no acknowledgement while the split could still be lost');
    // "Crash" here: a second hub opens the same directory with the metadata as it is on disk
    // (the first one still runs in this process, so the second skips the directory lock).
    const b = await hubOn(dir, new FileStore({ dataDir: dir, fsync: false, lock: false }));
    const shards = await b.client.listShards({ project: 'p-split', logstore: 'store1' });
    assert.deepEqual(
      shards.map((s) => s.shardID),
      [0],
      'the split never became durable',
    );
    await b.close();
    assert.deepEqual([store.openedWhileHeld, putDone], [[], false], 'still held after the other hub came and went');
    store.release();
    await split;
    await put;
    const after = await a.client.listShards({ project: 'p-split', logstore: 'store1' });
    assert.deepEqual(
      after.map((s) => [s.shardID, s.status]),
      [
        [0, 'readonly'],
        [1, 'readwrite'],
        [2, 'readwrite'],
      ],
    );
    const cursor = await a.client.getCursor({ project: 'p-split', logstore: 'store1', shardId: 1, from: 'begin' });
    const pulled = await a.client.pullLogs({ project: 'p-split', logstore: 'store1', shardId: 1, cursor, count: 10 });
    assert.deepEqual(
      pulled.groups.map((g) => g.value(0, 0)),
      ['child'],
    );
  } finally {
    // a failed assertion above must not leave the split held (and the test hanging)
    store.release();
    await a.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a logstore deleted and created again starts empty, even when the delete was cut short', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-dur-'));
  try {
    const a = await hubOn(dir);
    await a.client.createProject({ project: 'p-again' });
    await a.client.createLogStore({ project: 'p-again', logstore: 'store1', shardCount: 2 });
    await a.client.putLogs({ project: 'p-again', logstore: 'store1', logGroup: group('old') });
    const before = readdirSync(path.join(dir, 'shards', 'p-again'));
    await a.close();
    // Cut short: the logstore is gone from meta.json, its directory is still there.
    const meta = JSON.parse((await import('node:fs')).readFileSync(path.join(dir, 'meta.json'), 'utf8')) as HubMeta;
    delete meta.projects['p-again'].logstores.store1;
    (await import('node:fs')).writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta));
    const warnings: string[] = [];
    const b = await hubOn(dir, new FileStore({ dataDir: dir, fsync: false, onWarning: (m) => warnings.push(m) }));
    assert.deepEqual(readdirSync(path.join(dir, 'shards', 'p-again')), [], `swept ${before.join()}`);
    assert.match(warnings.join('\n'), /not in meta.json/);
    await b.client.createLogStore({ project: 'p-again', logstore: 'store1', shardCount: 2 });
    for (const shardId of [0, 1]) {
      const cursor = await b.client.getCursor({ project: 'p-again', logstore: 'store1', shardId, from: 'begin' });
      const end = await b.client.getCursor({ project: 'p-again', logstore: 'store1', shardId, from: 'end' });
      assert.equal(cursor, end, `shard ${shardId} is empty`);
    }
    // Within one process too: each incarnation has its own directory.
    await b.client.putLogs({ project: 'p-again', logstore: 'store1', logGroup: group('second') });
    await b.client.deleteLogStore({ project: 'p-again', logstore: 'store1' });
    await b.client.createLogStore({ project: 'p-again', logstore: 'store1', shardCount: 1 });
    const c = await b.client.getCursor({ project: 'p-again', logstore: 'store1', shardId: 0, from: 'begin' });
    assert.equal((await b.client.pullLogs({ project: 'p-again', logstore: 'store1', shardId: 0, cursor: c, count: 10 })).count, 0);
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hundreds of shards under a small `ulimit -n`: open files stay bounded, reads and shutdown work', async () => {
  // 160 descriptors for the whole process (Node needs ~30); 400 shards would need 1,200 if each
  // kept its files open. `npm run chaos -- fds` runs 10,000 shards under 1024.
  const r = await fdsCampaign({ shards: 400, ulimit: 160, maxOpenFiles: 48 });
  assert.deepEqual(r.wrongReads, []);
  assert.equal(r.exitCode, 0, 'clean shutdown');
});
