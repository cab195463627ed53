// Admin operations on a job, as library calls with their safety rules inside (as kafkajs keeps
// resetOffsets in admin/ and refuses a group with live members); the CLI and the console call them.
import type { LogClient } from '../client/index.js';
import { hasCode, SlsArgumentError } from '../errors/index.js';
import type { TimePoint } from '../event/index.js';
import type { JobConfig } from './config.js';

export { jobStatus, type ShardStatus } from './status.js';

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
}

/**
 * Moves a job's checkpoints with UpdateCheckPoint, so data after that point is delivered again (or
 * skipped), without recreating the trigger. Refuses while a consumer of the job has committed
 * within the group's timeout (SLS lists no live consumers; a recent commit means one is working),
 * unless `force`. Returns the new checkpoint per shard.
 */
export async function resetCheckpoints(
  client: LogClient,
  job: JobRef,
  o: ResetCheckpointsOptions,
): Promise<Array<{ shardId: number; checkpoint: string }>> {
  const at = { project: job.project, logstore: job.logstore };
  const group = (await client.listConsumerGroup(at)).find((g) => g.name === job.jobName);
  if (!group) throw new SlsArgumentError(`job ${job.jobName} has no consumer group on ${job.project}/${job.logstore}`);
  const cps = await client.getCheckpoint({ ...at, consumerGroup: job.jobName });
  const shards = (await client.listShards(at)).map((s) => s.shardID).filter((id) => o.shardId === undefined || id === o.shardId);
  if (shards.length === 0) throw new SlsArgumentError(`shard ${o.shardId} does not exist`);
  const liveSince = (o.now ?? Date.now)() - group.timeout * 1000;
  const held = cps.filter((c) => shards.includes(c.shard) && c.consumer && c.updateTime / 1000 > liveSince);
  if (held.length > 0 && !o.force) {
    throw new SlsArgumentError(
      `shard(s) ${held.map((c) => `${c.shard} (${c.consumer})`).join(', ')} committed within the last ${group.timeout}s: stop the job first, or ${o.forceHint ?? 'force the reset'}`,
    );
  }
  const out: Array<{ shardId: number; checkpoint: string }> = [];
  for (const shardId of shards) {
    const checkpoint = await client.getCursor({ ...at, shardId, from: o.to });
    await client.updateCheckpoint({
      ...at,
      consumerGroup: job.jobName,
      consumer: o.consumer ?? 'sls-trigger-admin',
      shardId,
      checkpoint,
      forceSuccess: true,
    });
    out.push({ shardId, checkpoint });
  }
  return out;
}

async function ignoring(p: Promise<unknown>, already: 'ProjectAlreadyExist' | 'LogStoreAlreadyExist'): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!hasCode(e, already)) throw e;
  }
}

/** Creates the projects and logstores a job names (source, schedule log, process log, dead letter), when missing. */
/**
 * The logstore a function writes to, when its functionParameter names one the way FC's ETL
 * templates do (`target: { projectName, logstoreName }`: ip-lookup, logstore-replication).
 */
function functionTarget(parameter: unknown): { projectName: string; logstoreName: string } | undefined {
  const t = (parameter as { target?: { projectName?: unknown; logstoreName?: unknown } } | undefined)?.target;
  return typeof t?.projectName === 'string' && typeof t.logstoreName === 'string'
    ? { projectName: t.projectName, logstoreName: t.logstoreName }
    : undefined;
}

export async function ensureJobResources(
  client: LogClient,
  config: JobConfig,
  opts: { sourceShards: number; ttlDays?: number; description?: string },
): Promise<void> {
  const stores: Array<[string, string, number]> = [
    [config.project, config.logstore, opts.sourceShards],
    [config.logConfig.project, config.logConfig.logstore, 1],
  ];
  if (config.target.type === 'local' && config.target.processLog)
    stores.push([config.target.processLog.project, config.target.processLog.logstore, 1]);
  const dl = config.deadLetter?.target;
  if (dl?.kind === 'logstore') stores.push([dl.project, dl.logstore, 1]);
  const out = functionTarget(config.functionParameter);
  if (out) stores.push([out.projectName, out.logstoreName, 1]);
  for (const [project, logstore, shardCount] of stores) {
    await ignoring(client.createProject({ project, description: opts.description ?? 'created by sls-trigger' }), 'ProjectAlreadyExist');
    await ignoring(client.createLogStore({ project, logstore, shardCount, ttl: opts.ttlDays ?? 7 }), 'LogStoreAlreadyExist');
  }
}
