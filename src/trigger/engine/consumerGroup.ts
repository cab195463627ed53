// The job's consumer group from the scheduler's side: creating it with every shard's start
// position, reading the source's TTL, and adopting checkpoints someone else moved.
import { hasCode, isRetriable, isSlsError } from '../../errors/index.js';
import type { ShardState, ShardTaskContext } from '../task/shardState.js';

const groupOf = (deps: ShardTaskContext) => ({
  project: deps.config.project,
  logstore: deps.config.logstore,
  consumerGroup: deps.config.jobName,
});

/** The source's TTL, for the time to data loss (dataLoss.ts). Without GetLogStore rights the job runs without it. */
async function readRetention(deps: ShardTaskContext): Promise<void> {
  const c = deps.config;
  try {
    deps.retention.ttlSeconds = (await deps.client.getLogStore({ project: c.project, logstore: c.logstore })).ttl * 86400;
  } catch (e) {
    if (!isSlsError(e) || isRetriable(e)) throw e;
    deps.emit('warning', { message: `no time to data loss: GetLogStore ${c.logstore} failed (${e.code}): ${e.message}` });
  }
}

/**
 * Creates the job's consumer group (order=true: parents before children). The instance that
 * creates it pins every existing shard's start position as its first checkpoint, so a restart
 * resumes there and any shard without a checkpoint later is new (a split/merge child): it starts
 * from its beginning.
 */
export async function setupJob(deps: ShardTaskContext): Promise<void> {
  const c = deps.config;
  const timeout = c.heartbeatIntervalSeconds * 3;
  await readRetention(deps);
  try {
    await deps.client.createConsumerGroup({ ...groupOf(deps), timeout, order: true });
  } catch (e) {
    if (!hasCode(e, 'ConsumerGroupAlreadyExist')) throw e;
    await deps.client.updateConsumerGroup({ ...groupOf(deps), timeout, order: true });
    return;
  }
  for (const s of await deps.client.listShards({ project: c.project, logstore: c.logstore })) {
    const from = c.startPosition === 'latest' ? 'end' : c.startPosition;
    const cursor = await deps.client.getCursor({ project: c.project, logstore: c.logstore, shardId: s.shardID, from });
    await deps.client.updateCheckpoint({
      ...groupOf(deps),
      consumer: deps.consumer,
      shardId: s.shardID,
      checkpoint: cursor,
      forceSuccess: true,
    });
  }
}

/**
 * A checkpoint someone else moved (checkpoint reset, the console) is adopted at the next
 * heartbeat, so a reset of a running job takes effect instead of being overwritten by this
 * instance's next commit. The range being retried, deferred halves and a parked fault are dropped
 * with it (a reset past a poison range is how a blocked shard is freed). A shard with a task in
 * flight or writes still owed keeps its state; a reset racing that task's commit can lose.
 */
export async function adoptMovedCheckpoints(
  deps: ShardTaskContext,
  shards: Map<number, ShardState>,
  inFlight: (id: number) => boolean,
): Promise<void> {
  if (shards.size === 0) return;
  for (const c of await deps.client.getCheckpoint(groupOf(deps))) {
    const s = shards.get(c.shard);
    if (!s || !c.checkpoint || c.checkpoint === s.checkpoint || c.consumer === deps.consumer) continue;
    if (inFlight(s.id) || s.pending.length > 0) continue;
    Object.assign(s, { checkpoint: c.checkpoint, range: undefined, deferred: [], attempt: 0, parked: undefined, nextDueMs: deps.now() });
    deps.emit('warning', {
      message: `shard ${s.id}: checkpoint moved to ${c.checkpoint} by ${c.consumer || 'another client'}; continuing from there`,
    });
  }
}

/**
 * Shards this instance is not given (another consumer holds them, or a split's children wait for
 * their parent): said once per change of that set, with who last committed each, so a second
 * `run` does not sit silent until the holder's lease runs out.
 */
export async function reportWaiting(
  deps: ShardTaskContext,
  all: number[],
  assigned: readonly number[],
  last: { key: string },
): Promise<void> {
  const held = new Set(assigned);
  const waiting = all.filter((id) => !held.has(id)).sort((a, b) => a - b);
  const key = waiting.join(',');
  if (key === last.key) return;
  last.key = key;
  if (waiting.length === 0) return;
  const holders: Record<string, number[]> = {};
  const isWaiting = new Set(waiting);
  for (const c of await deps.client.getCheckpoint(groupOf(deps)))
    if (isWaiting.has(c.shard) && c.consumer && c.consumer !== deps.consumer) (holders[c.consumer] ??= []).push(c.shard);
  deps.emit('waiting', { shardIds: waiting, holders, handoverSeconds: deps.config.heartbeatIntervalSeconds * 3 });
}
