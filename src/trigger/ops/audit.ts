// `audit`: proves from a job's schedule log and its consumer group's checkpoints that every cursor
// interval of every shard, from where the record starts to the checkpoint, ended in exactly one
// recorded outcome (coverage.ts). A gap is a range the checkpoint passed with no outcome recorded:
// data that may have been skipped unseen, or whose record was lost (scheduleLog.ts says when).
import type { LogClient, ShardInfo } from '../../client/index.js';
import { decodeCursor, encodeCursor } from '../../codec/index.js';
import { hasCode } from '../../errors/index.js';
import { scanLogstore, type LogstoreRef } from '../../event/index.js';
import { coverShard, outcomeOf, type Covered, type Gap, type ShardCoverage } from './coverage.js';

export interface AuditTarget {
  readonly project: string;
  readonly logstore: string;
  readonly jobName: string;
  /** where the job writes its schedule log (the job config's logConfig) */
  readonly logConfig: LogstoreRef;
}

export interface AuditOptions {
  /** only records written at or after this time (unix s); each shard is audited from its first such record */
  readonly fromTime?: number;
  /** gaps whose first group's receive time is looked up (GetCursorTime), per shard (default 20) */
  readonly gapTimes?: number;
}

export interface ShardAudit extends ShardCoverage {
  readonly shardId: number;
  readonly status: ShardInfo['status'];
  /** where the audit starts: the first recorded outcome, or the shard's beginning for a shard created after the job started */
  readonly fromReason: 'firstRecord' | 'shardBegin';
  /** receive time (unix s) of each gap's first group, when looked up */
  readonly gapTimes: ReadonlyMap<Gap, number>;
}

export interface AuditReport {
  readonly records: number;
  readonly shards: readonly ShardAudit[];
  /** shards with no checkpoint yet: nothing to prove */
  readonly notStarted: readonly number[];
  readonly gaps: number;
  readonly overlaps: number;
}

async function readOutcomes(client: LogClient, t: AuditTarget, fromTime: number | undefined) {
  const byShard = new Map<number, Covered[]>();
  let records = 0;
  let firstTime = Infinity;
  for await (const { fields: f } of scanLogstore(client, t.logConfig, { from: fromTime ?? 'begin', pageGroups: 1000 })) {
    if (f.job_name !== t.jobName || f.project_name !== t.project || f.logstore_name !== t.logstore || f.shard_id === undefined) continue;
    records++;
    firstTime = Math.min(firstTime, Number(f.start_time ?? f.end_time));
    const c = outcomeOf(f, decodeCursor);
    if (!c) continue;
    const shard = Number(f.shard_id);
    const list = byShard.get(shard);
    if (list) list.push(c);
    else byShard.set(shard, [c]);
  }
  return { byShard, records, firstTime };
}

async function checkpointsOf(client: LogClient, t: AuditTarget): Promise<Map<number, string>> {
  try {
    const list = await client.getCheckpoint({ project: t.project, logstore: t.logstore, consumerGroup: t.jobName });
    return new Map(list.filter((c) => c.checkpoint !== '').map((c) => [c.shard, c.checkpoint]));
  } catch (e) {
    if (hasCode(e, 'ConsumerGroupNotExist')) return new Map();
    throw e;
  }
}

/** Audits every shard of the job's source that has a checkpoint. */
export async function auditJob(client: LogClient, t: AuditTarget, o: AuditOptions = {}): Promise<AuditReport> {
  const { byShard, records, firstTime } = await readOutcomes(client, t, o.fromTime);
  const checkpoints = await checkpointsOf(client, t);
  const shards: ShardAudit[] = [];
  const notStarted: number[] = [];
  for (const info of await client.listShards({ project: t.project, logstore: t.logstore })) {
    const to = checkpoints.get(info.shardID);
    if (to === undefined) {
      notStarted.push(info.shardID);
      continue;
    }
    shards.push(await auditShard(client, t, info, byShard.get(info.shardID) ?? [], decodeCursor(to), { ...o, firstTime }));
  }
  const sum = (f: (s: ShardAudit) => number) => shards.reduce((n, s) => n + f(s), 0);
  return { records, shards, notStarted, gaps: sum((s) => s.gaps.length), overlaps: sum((s) => s.overlaps.length) };
}

async function auditShard(
  client: LogClient,
  t: AuditTarget,
  info: ShardInfo,
  covered: Covered[],
  to: bigint,
  o: AuditOptions & { firstTime: number },
): Promise<ShardAudit> {
  const at = { project: t.project, logstore: t.logstore, shardId: info.shardID };
  const first = covered.reduce<bigint | undefined>((m, c) => (m === undefined || c.begin < m ? c.begin : m), undefined);
  // A shard born after the job's first record (a split or merge child) must be covered from its
  // beginning: a child whose start was skipped is a gap. Without --from, so is a shard with no record.
  const bornLater = o.fromTime === undefined && (info.createTime > o.firstTime || first === undefined);
  const from = bornLater ? decodeCursor(await client.getCursor({ ...at, from: 'begin' })) : (first ?? to);
  const coverage = coverShard(covered, from < to ? from : to, to);
  const gapTimes = new Map<Gap, number>();
  for (const g of coverage.gaps.slice(0, o.gapTimes ?? 20)) {
    const time = await client.getCursorTime({ ...at, cursor: encodeCursor(g.begin) }).catch(() => undefined);
    if (time !== undefined) gapTimes.set(g, time);
  }
  return { shardId: info.shardID, status: info.status, fromReason: bornLater ? 'shardBegin' : 'firstRecord', gapTimes, ...coverage };
}
