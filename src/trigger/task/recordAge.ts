// maxRecordAgeSeconds: the part of a range received before now − max age is not delivered when
// its task starts; it goes to the dead letter (or is skipped without one) under its own status,
// and the rest of the range is delivered. Off by default, as on FC.
import { compareCursors } from '../../codec/index.js';
import { oweDeadLetter } from './failure.js';
import { TaskStatus } from '../records/scheduleLog.js';
import {
  buildEvent,
  commit,
  groupsIn,
  rangeOf,
  runOwedWrites,
  sourceOf,
  type Range,
  type ShardState,
  type ShardTaskContext,
} from './shardState.js';
import { rangeRecord } from './taskRecord.js';

/** Drops the too-old head of `range`; returns what is left to deliver (undefined: nothing). */
export async function dropAged(deps: ShardTaskContext, shard: ShardState, range: Range): Promise<Range | undefined> {
  const maxAge = deps.config.maxRecordAgeSeconds;
  if (maxAge === undefined) return range;
  const cutoff = Math.floor(deps.now() / 1000) - maxAge;
  if (range.beginTime >= cutoff) return range;
  const byTime = await deps.client.getCursor({ ...sourceOf(deps, shard.id), from: cutoff });
  const cut = compareCursors(byTime, range.end) < 0 ? byTime : range.end;
  if (compareCursors(cut, range.begin) <= 0) return range;
  const aged = await rangeOf(deps, shard.id, range.begin, cut);
  const rest = compareCursors(cut, range.end) < 0 ? await rangeOf(deps, shard.id, cut, range.end) : undefined;
  const message = `${groupsIn(aged)} log groups received before ${cutoff} (older than maxRecordAgeSeconds ${maxAge})`;
  const rec = rangeRecord(deps, shard, aged, TaskStatus.RecordAgeExceeded, 'RecordAgeExceeded', message);
  // The shard moves on to the rest now: if a write below fails, only the writes are redone.
  shard.range = rest;
  if (!rest) shard.attempt = 0;
  if (deps.config.deadLetter)
    rec.dead_letter_id = oweDeadLetter(deps, shard, aged, buildEvent(deps, shard.id, aged), rec, 'RecordAgeExceeded');
  shard.pending.push({ what: 'checkpoint', run: () => commit(deps, shard, cut) });
  // recorded before the checkpoint moves past it (audit)
  await deps.scheduleLog.write(rec);
  deps.emit('task', { ...rec, logs: [] });
  await runOwedWrites(shard);
  return rest;
}
