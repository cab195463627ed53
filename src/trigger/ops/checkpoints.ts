// Moving a job's checkpoints, with its safety rule inside (as kafkajs keeps resetOffsets in admin/
// and refuses a group with live members); the CLI and the console call it.
import type { LogClient } from '../../client/index.js';
import { cursorDistance } from '../../codec/index.js';
import { SlsArgumentError } from '../../errors/index.js';
import type { TimePoint } from '../../event/index.js';

export interface JobRef {
  readonly project: string;
  readonly logstore: string;
  readonly jobName: string;
}

export interface ResetCheckpointsOptions {
  /** where to move the checkpoints: begin, end, or unix seconds (receive time) */
  readonly to: TimePoint;
  /** only this shard (default: every shard) */
  readonly shardId?: number;
  /** reset even while a consumer of the job holds a shard */
  readonly force?: boolean;
  /** the name the commit is made under (default sls-trigger-admin) */
  readonly consumer?: string;
  /** how the refusal tells the caller to force it (the CLI says "pass --force") */
  readonly forceHint?: string;
  /** clock for the liveness rule (tests) */
  readonly now?: () => number;
  /** compute and return the moves, commit nothing (and refuse nothing) */
  readonly dryRun?: boolean;
}

/** One shard's move: from `previous` to `checkpoint`; `groups` > 0 skips that many log groups, < 0 delivers them again. */
export interface CheckpointMove {
  shardId: number;
  /** the checkpoint before the move ('' when the shard had none) */
  previous: string;
  checkpoint: string;
  groups: number;
  /** the consumer that committed within the group's timeout (a live job): a reset needs force */
  heldBy?: string;
}

/**
 * Moves a job's checkpoints with UpdateCheckPoint, so data after that point is delivered again (or
 * skipped), without recreating the trigger. Refuses while a consumer of the job has committed
 * within the group's timeout (SLS lists no live consumers; a recent commit means one is working),
 * unless `force`. With `dryRun` it only says what it would do (and who holds what). Returns the
 * move per shard.
 */
export async function resetCheckpoints(client: LogClient, job: JobRef, o: ResetCheckpointsOptions): Promise<CheckpointMove[]> {
  const at = { project: job.project, logstore: job.logstore };
  const group = (await client.listConsumerGroup(at)).find((g) => g.name === job.jobName);
  if (!group) throw new SlsArgumentError(`job ${job.jobName} has no consumer group on ${job.project}/${job.logstore}`);
  const cps = new Map((await client.getCheckpoint({ ...at, consumerGroup: job.jobName })).map((c) => [c.shard, c]));
  const shards = (await client.listShards(at)).map((s) => s.shardID).filter((id) => o.shardId === undefined || id === o.shardId);
  if (shards.length === 0) throw new SlsArgumentError(`shard ${o.shardId} does not exist`);
  const liveSince = (o.now ?? Date.now)() - group.timeout * 1000;
  const moves: CheckpointMove[] = [];
  for (const shardId of shards) {
    const cp = cps.get(shardId);
    const checkpoint = await client.getCursor({ ...at, shardId, from: o.to });
    const previous = cp?.checkpoint ?? '';
    const base = previous || (await client.getCursor({ ...at, shardId, from: 'begin' }));
    const heldBy = cp?.consumer && cp.updateTime / 1000 > liveSince ? cp.consumer : undefined;
    moves.push({ shardId, previous, checkpoint, groups: Number(cursorDistance(base, checkpoint)), ...(heldBy && { heldBy }) });
  }
  const held = moves.filter((m) => m.heldBy);
  if (o.dryRun) return moves;
  if (held.length > 0 && !o.force) {
    throw new SlsArgumentError(
      `shard(s) ${held.map((m) => `${m.shardId} (${m.heldBy})`).join(', ')} committed within the last ${group.timeout}s: stop the job first, or ${o.forceHint ?? 'force the reset'}`,
    );
  }
  for (const m of moves) {
    const commit = { ...at, consumerGroup: job.jobName, shardId: m.shardId, checkpoint: m.checkpoint, forceSuccess: true };
    await client.updateCheckpoint({ ...commit, consumer: o.consumer ?? 'sls-trigger-admin' });
  }
  return moves;
}
