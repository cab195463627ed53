// The data under a checkpoint can expire: a job stopped longer than the source's TTL (a weekend, a
// 1-day logstore) comes back to checkpoints below the shard's begin, and GetCursorTime and PullLogs
// answer InvalidCursor. FC's trigger then stops on the shard; the official Python consumer library
// jumps to the end cursor, skipping even the data still there. With `onCheckpointExpired:
// "skipToOldest"` (the default) the shard moves to the oldest data still stored and an `Expired`
// schedule-log record says which interval was lost; with "park" it stops as before.
import { compareCursors, cursorDistance } from '../../codec/index.js';
import { TaskStatus } from '../records/scheduleLog.js';
import { commit, sourceOf, type ShardState, type ShardTaskContext } from './shardState.js';
import { shardRecord } from './taskRecord.js';

/** What expired under a shard's checkpoint: [from, to) by cursor, `to` the oldest group still stored. */
export interface ExpiredInterval {
  from: string;
  to: string;
  groups: number;
  /** receive time of the oldest group still stored (undefined when the shard holds nothing) */
  toTime?: number;
  /** receive time of the first lost group, when the shard saw it before it expired */
  fromTime?: number;
}

/** The interval lost under the shard's checkpoint, or undefined when its checkpoint is still stored. */
export async function expiredUnder(deps: ShardTaskContext, shard: ShardState): Promise<ExpiredInterval | undefined> {
  const at = sourceOf(deps, shard.id);
  const from = shard.checkpoint!;
  const to = await deps.client.getCursor({ ...at, from: 'begin' });
  if (compareCursors(from, to) >= 0) return undefined;
  const end = await deps.client.getCursor({ ...at, from: 'end' });
  const toTime = compareCursors(to, end) < 0 ? await deps.client.getCursorTime({ ...at, cursor: to }) : undefined;
  return { from, to, groups: Number(cursorDistance(from, to)), toTime, fromTime: shard.oldestTime };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The sentence for the record, the event and `status`: how much was lost and when it was received. */
export function describeExpired(e: Pick<ExpiredInterval, 'groups' | 'fromTime' | 'toTime'>): string {
  const when =
    e.fromTime !== undefined && e.toTime !== undefined
      ? `received from ${iso(e.fromTime)} to before ${iso(e.toTime)}`
      : e.toTime !== undefined
        ? `received before ${iso(e.toTime)}`
        : 'the shard holds no older data';
  return `${e.groups} log group${e.groups === 1 ? '' : 's'} expired (source TTL) before they were processed, ${when}`;
}

/**
 * Moves the shard past what expired: the checkpoint to the oldest stored group, the range being
 * retried and any bisect halves dropped (every undelivered group still stored lies past the new
 * checkpoint, so the next window delivers it). Writes the `Expired` record; returns false when
 * nothing under the checkpoint has expired.
 */
export async function skipExpired(deps: ShardTaskContext, shard: ShardState): Promise<boolean> {
  const lost = await expiredUnder(deps, shard);
  if (!lost) return false;
  const message = describeExpired(lost);
  const rec = shardRecord(deps, shard, TaskStatus.Expired, 'Expired', message);
  Object.assign(rec, { begin_cursor: lost.from, end_cursor: lost.to, cursor_time: lost.toTime ?? 0, expired_groups: lost.groups });
  // recorded before the checkpoint moves past it (audit); a failed commit records it again next time
  await deps.scheduleLog.write(rec);
  await commit(deps, shard, lost.to);
  shard.range = undefined;
  shard.deferred = [];
  shard.attempt = 0;
  shard.oldestTime = lost.toTime;
  shard.nextDueMs = deps.now();
  deps.emit('expired', { shardId: shard.id, ...lost, message });
  deps.emit('task', { ...rec, logs: [] });
  return true;
}

/**
 * After an InvalidCursor: 'moved' when the shard skipped what expired (skipToOldest), the reason to
 * park it naming what expired (park), undefined when nothing under its checkpoint expired.
 */
export async function onCheckpointExpired(
  deps: ShardTaskContext,
  shard: ShardState,
): Promise<'moved' | { code: string; message: string } | undefined> {
  if (deps.config.onCheckpointExpired === 'skipToOldest') return (await skipExpired(deps, shard)) ? 'moved' : undefined;
  const lost = await expiredUnder(deps, shard);
  if (!lost) return undefined;
  const how = 'sls-trigger checkpoint reset --to begin moves it to the oldest stored data';
  return { code: 'Expired', message: `${describeExpired(lost)}; onCheckpointExpired is park: ${how}` };
}
