// Job progress per shard from the job's consumer group: owner, checkpoint time, last data time, lag
// (like the seed's ConsumerGroupTest output).
import { addToCursor, compareCursors, cursorDistance, decodeCursor } from '../../codec/index.js';
import type { LogClient } from '../../client/index.js';
import { hasCode } from '../../errors/index.js';
import type { LogstoreRef } from '../../event/index.js';
import { timeToLoss } from '../task/dataLoss.js';
import { lastTasks, type LastTask } from '../records/lastTasks.js';
import { lagOf } from '../task/shardState.js';

export interface ShardStatus {
  shardId: number;
  status: 'readwrite' | 'readonly';
  owner: string;
  checkpoint: string;
  /** receive time (unix s) of the next group to process; undefined when caught up or never started */
  checkpointTime: number | undefined;
  /** receive time (unix s) of the newest group in the shard */
  lastDataTime: number | undefined;
  /** groups not processed yet and still stored */
  pendingGroups: number;
  /** groups under the checkpoint the source's TTL deleted before they were processed (the job skips them: expiry.ts) */
  expiredGroups: number;
  lagSeconds: number;
  updateTime: number;
  /** the logstore's TTL minus the age of the oldest unprocessed data; undefined when caught up */
  timeToLossSeconds: number | undefined;
  /** the shard's last schedule-log record (when the job's logConfig is known): Success, Failed, Parked, ... */
  lastTask?: LastTask;
}

/** The job's checkpoints; none before its consumer group exists (a job that has not started yet). */
async function checkpointsOf(client: LogClient, at: { project: string; logstore: string; jobName: string }) {
  try {
    return await client.getCheckpoint({ project: at.project, logstore: at.logstore, consumerGroup: at.jobName });
  } catch (e) {
    if (hasCode(e, 'ConsumerGroupNotExist')) return [];
    throw e;
  }
}

export async function jobStatus(
  client: LogClient,
  at: { project: string; logstore: string; jobName: string; logConfig?: LogstoreRef },
  nowMs = Date.now(),
): Promise<ShardStatus[]> {
  const last = at.logConfig ? await lastTasks(client, at.logConfig, at.jobName) : new Map<number, LastTask>();
  const ttlSeconds = (await client.getLogStore({ project: at.project, logstore: at.logstore })).ttl * 86400;
  const nowSeconds = Math.floor(nowMs / 1000);
  const shards = await client.listShards({ project: at.project, logstore: at.logstore });
  const cps = new Map((await checkpointsOf(client, at)).map((c) => [c.shard, c]));
  const out: ShardStatus[] = [];
  for (const s of shards) {
    const q = { project: at.project, logstore: at.logstore, shardId: s.shardID };
    const cp = cps.get(s.shardID);
    const begin = await client.getCursor({ ...q, from: 'begin' });
    const end = await client.getCursor({ ...q, from: 'end' });
    const saved = cp?.checkpoint || begin;
    // A checkpoint below the shard's begin points into deleted data (GetCursorTime would refuse it).
    const expiredGroups = compareCursors(saved, begin) < 0 ? Number(cursorDistance(saved, begin)) : 0;
    const checkpoint = expiredGroups > 0 ? begin : saved;
    const hasData = compareCursors(begin, end) < 0;
    const lastDataTime = hasData ? await client.getCursorTime({ ...q, cursor: addToCursor(end, -1) }) : undefined;
    const behind = compareCursors(checkpoint, end) < 0;
    const checkpointTime = behind ? await client.getCursorTime({ ...q, cursor: checkpoint }) : undefined;
    out.push({
      shardId: s.shardID,
      status: s.status,
      owner: cp?.consumer ?? '',
      checkpoint: cp?.checkpoint ?? '',
      checkpointTime,
      lastDataTime,
      pendingGroups: Number(decodeCursor(end) - decodeCursor(checkpoint)),
      expiredGroups,
      lagSeconds: lagOf({ oldestTime: checkpointTime }, nowMs),
      updateTime: cp?.updateTime ?? 0,
      timeToLossSeconds: checkpointTime === undefined ? undefined : timeToLoss(ttlSeconds, checkpointTime, nowSeconds),
      lastTask: last.get(s.shardID),
    });
  }
  return out;
}
