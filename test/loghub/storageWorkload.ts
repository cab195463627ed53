// A workload over every kind of write the file store makes (PutLogs into shards, split, merge,
// consumer groups, checkpoints), run against a LogHub whose disk may fail, and the check that
// follows a restart: every acknowledged write is there exactly once, nothing else is.
import assert from 'node:assert/strict';
import { LogClient } from '../../src/client/index.js';
import { SlsServiceError } from '../../src/errors/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub, type LogHub } from '../../src/loghub/index.js';
import { FileStore, type FileStoreOptions } from '../../src/loghub/store/fileStore.js';

export const P = 'p-faults';
export const LS = 'store1';
export const CG = 'cg1';
const LEFT = '00000000000000000000000000000001';
const RIGHT = 'f0000000000000000000000000000001';

export interface WorkloadResult {
  /** ids whose PutLogs was acknowledged */
  readonly acked: string[];
  /** checkpoints acknowledged last, by shard */
  readonly checkpoints: Map<number, string>;
  /** every error answered, as code/retriable */
  readonly errors: { code: string; retriable: boolean; message: string }[];
}

export async function openHub(dataDir: string, extra: Partial<FileStoreOptions> = {}) {
  const hub = await startLogHub({ store: new FileStore({ dataDir, fsync: true, ...extra }), ttlIntervalMs: 0 });
  const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
  return { hub, client, close: async () => (client.close(), await hub.close()) };
}

const group = (id: string) => ({ logs: [{ time: 1_700_000_000, contents: [{ key: 'id', value: id }] }], logTags: [] });

/**
 * Runs the workload; each step is sent again (as a client would) until it is acknowledged, at most
 * `attempts` times. Answers other than success must be retriable storage errors.
 */
export async function runWorkload(client: LogClient, attempts: number): Promise<WorkloadResult> {
  const result: WorkloadResult = { acked: [], checkpoints: new Map(), errors: [] };
  const step = async <T>(what: string, fn: () => Promise<T>, accept?: (code: string) => boolean): Promise<T | undefined> => {
    for (let i = 0; i < attempts; i++) {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof SlsServiceError && accept?.(e.code)) return undefined;
        if (!(e instanceof SlsServiceError)) throw e;
        result.errors.push({ code: e.code, retriable: e.retriable, message: e.message });
      }
    }
    throw new Error(`${what}: not acknowledged after ${attempts} attempts`);
  };
  const put = async (id: string, hashKey: string) => {
    await step(`put ${id}`, () => client.putLogs({ project: P, logstore: LS, hashKey, logGroup: group(id) }));
    result.acked.push(id);
  };
  const commit = async (shardId: number) => {
    const checkpoint = await step('end', () => client.getCursor({ project: P, logstore: LS, shardId, from: 'end' }));
    await step(`checkpoint ${shardId}`, () =>
      client.updateCheckpoint({ project: P, logstore: LS, consumerGroup: CG, shardId, checkpoint: checkpoint!, forceSuccess: true }),
    );
    result.checkpoints.set(shardId, checkpoint!);
  };
  // A retried create may find its first attempt's change: that is an acknowledgement too.
  await step(
    'project',
    () => client.createProject({ project: P }),
    (c) => c === 'ProjectAlreadyExist',
  );
  await step(
    'logstore',
    () => client.createLogStore({ project: P, logstore: LS, shardCount: 2 }),
    (c) => c === 'LogStoreAlreadyExist',
  );
  await step(
    'group',
    () => client.createConsumerGroup({ project: P, logstore: LS, consumerGroup: CG, timeout: 60, order: false }),
    (c) => c === 'ConsumerGroupAlreadyExist',
  );
  for (let i = 0; i < 4; i++) await put(`a${i}`, i % 2 ? RIGHT : LEFT);
  await commit(0);
  // shard 0 -> 2 and 3; then 2 and 3 -> 4 (a retried split or merge finds its shard already readonly)
  await step(
    'split',
    () => client.splitShard({ project: P, logstore: LS, shardId: 0, splitKey: '40000000000000000000000000000000' }),
    (c) => c === 'ShardReadOnly',
  );
  for (let i = 0; i < 4; i++) await put(`b${i}`, i % 2 ? '50000000000000000000000000000000' : LEFT);
  await step(
    'merge',
    () => client.mergeShards({ project: P, logstore: LS, shardId: 2 }),
    (c) => c === 'ShardReadOnly',
  );
  for (let i = 0; i < 4; i++) await put(`c${i}`, i % 2 ? RIGHT : LEFT);
  await commit(1);
  await commit(4);
  return result;
}

/** Every id in every shard, begin to end. */
export async function readAllIds(client: LogClient): Promise<string[]> {
  const ids: string[] = [];
  for (const s of await client.listShards({ project: P, logstore: LS })) {
    let cursor = await client.getCursor({ project: P, logstore: LS, shardId: s.shardID, from: 'begin' });
    for (;;) {
      const page = await client.pullLogs({ project: P, logstore: LS, shardId: s.shardID, cursor, count: 100 });
      for (const g of page.groups) for (let i = 0; i < g.logCount; i++) ids.push(g.value(i, 0));
      if (page.count === 0) break;
      cursor = page.nextCursor;
    }
  }
  return ids;
}

/** After a restart: the acknowledged ids exactly once each, the acknowledged checkpoints. */
export async function assertDurable(dataDir: string, r: WorkloadResult, context: string): Promise<void> {
  const again = await openHub(dataDir);
  try {
    assert.deepEqual((await readAllIds(again.client)).sort(), [...r.acked].sort(), `${context}: ids after a restart`);
    const cps = await again.client.getCheckpoint({ project: P, logstore: LS, consumerGroup: CG });
    for (const [shardId, checkpoint] of r.checkpoints)
      assert.equal(cps.find((c) => c.shard === shardId)?.checkpoint, checkpoint, `${context}: checkpoint of shard ${shardId}`);
  } finally {
    await again.close();
  }
}

export type OpenHub = Awaited<ReturnType<typeof openHub>> & { hub: LogHub };
