// What follows a failed attempt: retry the range (FC: quickly up to maxRetryTime, then per policy),
// bisect it (bisectOnError: halves down to the one failing group, no attempts used), commit the
// part a partial-progress handler finished, and send dead letters.
import { compareCursors, isCursor } from '../../codec/index.js';
import { backoffDelay } from '../../client/retry.js';
import type { TriggerEvent } from '../../event/index.js';
import { deadLetterId, sendDeadLetter, type DeadLetterReason } from '../deadLetters/deadLetter.js';
import { TaskStatus, type ScheduleRecord } from '../records/scheduleLog.js';
import { commit, cursorInto, groupsIn, type Range, type ShardState, type ShardTaskContext } from './shardState.js';
import { rangeRecord } from './taskRecord.js';

export interface FailureDecision {
  /** the attempt's status */
  readonly status: TaskStatus;
  /** records about the range besides the attempt's (Isolated) */
  readonly extra: ScheduleRecord[];
}

/** Owes a dead letter for [range): facts from the record, data read when the write runs. Returns the letter's id. */
export function oweDeadLetter(
  deps: ShardTaskContext,
  shard: ShardState,
  range: Range,
  event: TriggerEvent,
  rec: ScheduleRecord,
  reason: DeadLetterReason,
): string {
  const config = deps.config.deadLetter!;
  const time = Math.floor(deps.now() / 1000);
  const id = deadLetterId(time, range.taskId);
  const facts = {
    reason,
    jobName: deps.config.jobName,
    taskId: range.taskId,
    shardId: shard.id,
    beginCursor: range.begin,
    endCursor: range.end,
    attempts: rec.attempt,
    errorCode: rec.error_code ?? '',
    errorMessage: rec.error_message ?? '',
    time,
    event,
  };
  shard.pending.push({
    what: 'dead letter',
    run: async () => {
      const letter = await sendDeadLetter(deps.client, config, facts, id);
      const { groups, bytes, truncated } = letter.data;
      deps.emit('deadLetter', { shardId: shard.id, id, reason, beginCursor: range.begin, endCursor: range.end, groups, bytes, truncated });
    },
  });
  return id;
}

/** Splits the range at its middle group; the left half runs next, at once, with a fresh attempt count. */
function bisect(deps: ShardTaskContext, shard: ShardState, range: Range, rec: ScheduleRecord): FailureDecision {
  const split = cursorInto(range, Math.floor(groupsIn(range) / 2));
  shard.deferred.push({ begin: split, end: range.end }, { begin: range.begin, end: split });
  shard.range = undefined;
  shard.attempt = 0;
  shard.nextDueMs = deps.now();
  rec.split_cursor = split;
  deps.emit('bisect', { shardId: shard.id, taskId: range.taskId, beginCursor: range.begin, splitCursor: split, endCursor: range.end });
  return { status: TaskStatus.Bisected, extra: [] };
}

/** What to do when the function failed on `range` (`counted`: a function error, not SLS or the transport). */
export function decideFailure(
  deps: ShardTaskContext,
  shard: ShardState,
  range: Range,
  event: TriggerEvent,
  rec: ScheduleRecord,
  counted: boolean,
): FailureDecision {
  const c = deps.config;
  if (counted && c.bisectOnError && groupsIn(range) > 1) return bisect(deps, shard, range, rec);
  const t = deps.timing;
  const extra: ScheduleRecord[] = [];
  if (counted) shard.attempt++;
  if (counted && c.bisectOnError && shard.attempt === 1)
    extra.push(
      rangeRecord(
        deps,
        shard,
        range,
        TaskStatus.Isolated,
        rec.error_code ?? '',
        `log group at ${range.begin} fails: ${rec.error_message ?? ''}`,
      ),
    );
  const exhausted = counted && shard.attempt > c.maxRetryTime;
  const delay = backoffDelay(Math.max(1, shard.attempt), { baseDelayMs: t.retryBaseMs, maxDelayMs: t.retryMaxMs, random: deps.random });
  if (!exhausted || c.onRetriesExhausted === 'block') {
    // FC's behaviour: the same range again, quickly up to maxRetryTime, then at each interval.
    const wait = exhausted ? Math.max(delay, c.triggerInterval * 1000) : delay;
    shard.nextDueMs = deps.now() + wait;
    const reason = rec.error_message ?? '';
    deps.emit('retry', { shardId: shard.id, taskId: range.taskId, attempt: shard.attempt, delayMs: wait, counted, exhausted, reason });
    return { status: TaskStatus.Failed, extra };
  }
  shard.range = undefined;
  shard.attempt = 0;
  shard.nextDueMs = deps.now();
  if (c.onRetriesExhausted === 'deadLetter') rec.dead_letter_id = oweDeadLetter(deps, shard, range, event, rec, 'RetriesExhausted');
  shard.pending.push({ what: 'checkpoint', run: () => commit(deps, shard, range.end) });
  return { status: c.onRetriesExhausted === 'deadLetter' ? TaskStatus.DeadLettered : TaskStatus.Skipped, extra };
}

export type PartialResult =
  { readonly cursor: string; readonly errorType: string; readonly errorMessage: string } | { readonly invalid: string };

/**
 * A partial-progress result's resume point: undefined when the result has no partialFailure;
 * `invalid` when it names no cursor in (begin, end] (the attempt then counts as failed).
 */
export function partialResultOf(body: Buffer, range: Range): PartialResult | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const p = (parsed as { partialFailure?: Record<string, unknown> } | null)?.partialFailure;
  if (p === undefined || p === null) return undefined;
  const cursor = typeof p === 'object' ? p.resumeCursor : undefined;
  const inside =
    typeof cursor === 'string' && isCursor(cursor) && compareCursors(cursor, range.begin) > 0 && compareCursors(cursor, range.end) <= 0;
  if (!inside)
    return { invalid: `partialFailure.resumeCursor ${JSON.stringify(cursor)} is not a cursor in (${range.begin}, ${range.end}]` };
  return { cursor: cursor as string, errorType: String(p.errorType ?? 'Error'), errorMessage: String(p.errorMessage ?? '') };
}
