// One shard's work for one tick: compute FC's window [begin, end) (at most one interval of data by
// receive time past begin) or take the next deferred range (bisectOnError), drop what is too old
// (maxRecordAgeSeconds), invoke with a validated event, then checkpoint or decide per policy
// (failure.ts).
import { addToCursor, compareCursors, cursorDistance } from '../../codec/index.js';
import { currentCredentials } from '../../client/index.js';
import { idleCheckMs, nextWindowMs, windowCloseMs } from '../engine/cadence.js';
import type { TriggerEvent } from '../../event/index.js';
import type { InvokeOutcome } from '../invokers/types.js';
import { TaskStatus, type ScheduleRecord } from '../records/scheduleLog.js';
import { checkDataLoss } from './dataLoss.js';
import { decideFailure, partialResultOf, type FailureDecision } from './failure.js';
import { dropAged } from './recordAge.js';
import { skipExpired } from './expiry.js';
import {
  buildEvent,
  commit,
  lagOf,
  rangeOf,
  runOwedWrites,
  sourceOf,
  type Range,
  type ShardState,
  type ShardTaskContext,
} from './shardState.js';
import { attemptRecord, rangeRecord, shardRecord } from './taskRecord.js';

/**
 * The next range: the one being retried, else a deferred half, else new data past the checkpoint
 * (FC's window, or everything up to maxBatchGroups in low-latency mode). `waitUntilMs` when there is
 * data but its window (or batching window) is still open.
 */
async function nextRange(
  deps: ShardTaskContext,
  shard: ShardState,
): Promise<{ range?: Range; shardEnd: string; waitUntilMs?: number; oldestTime?: number }> {
  // one literal, no spread: this is every idle check (docs/benchmarks.md)
  const shardEnd = await deps.client.getCursor({
    project: deps.config.project,
    logstore: deps.config.logstore,
    shardId: shard.id,
    from: 'end',
  });
  if (shard.range) return { range: shard.range, shardEnd };
  const deferred = shard.deferred.at(-1);
  if (deferred) {
    // Taken off only once it is the range being worked on: a failed lookup loses nothing.
    shard.range = await rangeOf(deps, shard.id, deferred.begin, deferred.end);
    shard.deferred.pop();
    return { range: shard.range, shardEnd };
  }
  const begin = shard.checkpoint!;
  if (compareCursors(begin, shardEnd) >= 0) return { shardEnd };
  if (deps.config.lowLatency) {
    const end = batchEnd(deps, shard, begin, shardEnd);
    if (typeof end === 'number') return { shardEnd, waitUntilMs: end };
    return { range: await rangeOf(deps, shard.id, begin, end), shardEnd };
  }
  const w = await windowOf(deps, shard, begin, shardEnd);
  if (w.end === undefined) return { shardEnd, waitUntilMs: w.closeMs, oldestTime: w.beginTime };
  return { range: await rangeOf(deps, shard.id, begin, w.end, w.beginTime), shardEnd };
}

/** FC's window past `begin`: its end cursor once the window has closed, else only when it closes (ms). */
async function windowOf(
  deps: ShardTaskContext,
  shard: ShardState,
  begin: string,
  shardEnd: string,
): Promise<{ beginTime: number; closeMs: number; end?: string }> {
  const at = sourceOf(deps, shard.id);
  const beginTime = await deps.client.getCursorTime({ ...at, cursor: begin });
  const closeMs = windowCloseMs(deps, beginTime);
  if (deps.now() < closeMs && !deps.flags.closeOpenWindows) return { beginTime, closeMs };
  const windowEnd = await deps.client.getCursor({ ...at, from: beginTime + deps.config.triggerInterval });
  const end = compareCursors(windowEnd, shardEnd) < 0 && compareCursors(windowEnd, begin) > 0 ? windowEnd : shardEnd;
  return { beginTime, closeMs, end };
}

/** Low-latency mode: up to maxBatchGroups of new data, after the batching window since it was first seen. */
function batchEnd(deps: ShardTaskContext, shard: ShardState, begin: string, shardEnd: string): string | number {
  const ll = deps.config.lowLatency!;
  const full = cursorDistance(begin, shardEnd) >= BigInt(ll.maxBatchGroups);
  if (ll.batchingWindowMs > 0 && !full) {
    shard.dataSeenMs ??= deps.now();
    const ready = shard.dataSeenMs + ll.batchingWindowMs;
    if (deps.now() < ready) return ready;
  }
  shard.dataSeenMs = undefined;
  return full ? addToCursor(begin, ll.maxBatchGroups) : shardEnd;
}

async function updateLag(deps: ShardTaskContext, shard: ShardState, end: string, shardEnd: string): Promise<void> {
  const behind = compareCursors(end, shardEnd) < 0;
  const c = deps.config;
  const nextBeginTime = behind
    ? await deps.client.getCursorTime({ project: c.project, logstore: c.logstore, shardId: shard.id, cursor: end })
    : undefined;
  setOldest(deps, shard, nextBeginTime);
  // The other halves of a bisect are owed now: they are data from before this window.
  if (shard.deferred.length > 0) shard.nextDueMs = deps.now();
  else
    shard.nextDueMs = nextBeginTime === undefined ? idleCheckMs(deps, shard) : nextWindowMs(deps, nextBeginTime, lagOf(shard, deps.now()));
}

/** Records the oldest unprocessed group's receive time; lag (lagOf) follows from it wherever it is read. */
function setOldest(deps: ShardTaskContext, shard: ShardState, oldestTime: number | undefined): void {
  shard.oldestTime = oldestTime;
  deps.emit('lag', { shardId: shard.id, seconds: lagOf(shard, deps.now()) });
}

/** The range is done: what is owed now is writes only (the function is not called for it again). */
function onSuccess(deps: ShardTaskContext, shard: ShardState, range: Range, shardEnd: string): void {
  shard.range = undefined;
  shard.attempt = 0;
  shard.pending.push(
    { what: 'checkpoint', run: () => commit(deps, shard, range.end) },
    { what: 'lag', run: () => updateLag(deps, shard, range.end, shardEnd) },
  );
}

/** The readonly shard's last call with no data left: its checkpoint marks it drained. */
async function finishDrained(deps: ShardTaskContext, shard: ShardState): Promise<void> {
  // The server counts a readonly shard as drained (and hands out its children) only once the
  // group's checkpoint equals its end: commit it even when this shard never had data.
  const at = shard.checkpoint!;
  await commit(deps, shard, at);
  shard.finished = true;
  deps.emit('shardFinished', { shardId: shard.id, checkpoint: at });
  finishIdle(deps, shard);
}

/** An idle check found nothing: synchronous, as it is the common case (docs/benchmarks.md). */
function finishIdle(deps: ShardTaskContext, shard: ShardState): void {
  setOldest(deps, shard, undefined);
  shard.emptyPolls++;
  shard.nextDueMs = idleCheckMs(deps, shard);
}

async function invoke(
  deps: ShardTaskContext,
  shard: ShardState,
  range: Range,
  event: TriggerEvent,
  requestId: string,
): Promise<InvokeOutcome> {
  deps.emit('invoke', {
    shardId: shard.id,
    taskId: range.taskId,
    beginCursor: range.begin,
    endCursor: range.end,
    attempt: shard.attempt + 1,
    requestId,
  });
  const release = await deps.invocations.acquire();
  let outcome: InvokeOutcome;
  try {
    outcome = await deps.invoker.invoke({
      event: Buffer.from(JSON.stringify(event)),
      requestId,
      timeoutMs: deps.config.invocationTimeoutSeconds * 1000,
      credentials: await currentCredentials(deps.credentials),
    });
  } finally {
    release();
  }
  if (outcome.ok || outcome.kind === 'function')
    await deps.processLog?.write(
      outcome.logs,
      { requestId, taskId: range.taskId, shardId: shard.id, jobName: deps.config.jobName },
      Math.floor(deps.now() / 1000),
    );
  return outcome;
}

/**
 * The handler finished [begin, resume) and failed after it: commit that much, and treat the rest
 * as a failed range of its own (retry, bisect or dead-letter it).
 */
async function onPartialFailure(
  deps: ShardTaskContext,
  shard: ShardState,
  range: Range,
  partial: { cursor: string; errorType: string; errorMessage: string },
  rec: ScheduleRecord,
): Promise<ScheduleRecord[]> {
  Object.assign(rec, {
    task_status: TaskStatus.PartialFailure,
    resume_cursor: partial.cursor,
    error_code: partial.errorType,
    error_message: partial.errorMessage,
  });
  shard.pending.push({ what: 'checkpoint', run: () => commit(deps, shard, partial.cursor) });
  if (partial.cursor === range.end) {
    shard.range = undefined;
    shard.attempt = 0;
    return [];
  }
  // Until the rest's range is known, it waits as a deferred range: a failed lookup redoes nothing.
  shard.range = undefined;
  shard.deferred.push({ begin: partial.cursor, end: range.end });
  const rest = await rangeOf(deps, shard.id, partial.cursor, range.end);
  shard.deferred.pop();
  shard.range = rest;
  const restRec = rangeRecord(deps, shard, rest, TaskStatus.Failed, partial.errorType, partial.errorMessage);
  restRec.attempt = shard.attempt + 1;
  const decision = decideFailure(deps, shard, rest, buildEvent(deps, shard.id, rest), restRec, true);
  restRec.task_status = decision.status;
  return decision.status === TaskStatus.Failed ? decision.extra : [restRec, ...decision.extra];
}

/** Decides the attempt: success, partial progress, or failure. Returns records besides the attempt's. */
async function decide(
  deps: ShardTaskContext,
  shard: ShardState,
  range: Range,
  event: TriggerEvent,
  outcome: InvokeOutcome,
  rec: ScheduleRecord,
  shardEnd: string,
): Promise<ScheduleRecord[]> {
  if (!outcome.ok) {
    const decision: FailureDecision = decideFailure(deps, shard, range, event, rec, outcome.kind === 'function');
    rec.task_status = decision.status;
    return decision.extra;
  }
  const partial = partialResultOf(outcome.body, range);
  if (partial === undefined) {
    onSuccess(deps, shard, range, shardEnd);
    return [];
  }
  if ('cursor' in partial) return onPartialFailure(deps, shard, range, partial, rec);
  Object.assign(rec, { error_code: 'InvalidPartialFailure', error_message: partial.invalid });
  const decision = decideFailure(deps, shard, range, event, rec, true);
  rec.task_status = decision.status;
  return decision.extra;
}

/**
 * Runs one task for the shard if there is data (an idle check otherwise). A run
 * that finds writes still owed for the last range (a checkpoint or dead letter that failed) only
 * finishes those.
 */
export async function runShardTask(deps: ShardTaskContext, shard: ShardState, readonly: boolean): Promise<void> {
  if (shard.pending.length > 0) {
    await runOwedWrites(shard);
    return;
  }
  shard.checkStartedMs = deps.now();
  const next = await nextRange(deps, shard);
  deps.emit('check', { shardId: shard.id, found: next.range !== undefined || next.waitUntilMs !== undefined });
  // Lag is refreshed at every check, whatever comes of it (a failing range keeps its begin).
  if (next.range) setOldest(deps, shard, next.range.beginTime);
  else if (next.oldestTime !== undefined) setOldest(deps, shard, next.oldestTime);
  if (next.waitUntilMs !== undefined) {
    shard.nextDueMs = next.waitUntilMs;
    return;
  }
  const warning = watchDataLoss(deps, shard, next.range);
  if (warning) await warning;
  // A range being retried may outlive its data (the function's pull then fails): time to loss at 0 is that event.
  if (next.range && shard.timeToLossSeconds! <= 0 && deps.config.onCheckpointExpired === 'skipToOldest' && (await skipExpired(deps, shard)))
    return;
  if (!next.range) {
    if (readonly && !shard.finished) await finishDrained(deps, shard);
    else finishIdle(deps, shard);
    return;
  }
  shard.range = next.range;
  shard.emptyPolls = 0; // data: back to the fast pace
  const range = await dropAged(deps, shard, next.range);
  if (!range) return;
  shard.range = range;
  const event = buildEvent(deps, shard.id, range);
  const startMs = deps.now();
  const outcome = await invoke(deps, shard, range, event, deps.newRequestId());
  const rec = attemptRecord(deps, shard, range, outcome, outcome.ok ? TaskStatus.Success : TaskStatus.Failed, startMs);
  let extra: ScheduleRecord[] = [];
  try {
    extra = await decide(deps, shard, range, event, outcome, rec, next.shardEnd);
  } finally {
    // The attempt happened whatever its decision came to: it is logged either way, and before the
    // checkpoint moves past its range, so no range is committed unrecorded (audit).
    for (const r of [rec, ...extra]) {
      await deps.scheduleLog.write(r);
      deps.emit('task', { ...r, logs: r === rec && (outcome.ok || outcome.kind === 'function') ? outcome.logs : [] });
    }
  }
  await runOwedWrites(shard);
}

/** Time to loss from the oldest unprocessed group; a warning (event and schedule-log record) when it crosses the threshold. */
function watchDataLoss(deps: ShardTaskContext, shard: ShardState, range: Range | undefined): Promise<void> | undefined {
  const nowSeconds = Math.floor(deps.now() / 1000);
  const fired = checkDataLoss(shard, {
    shardId: shard.id,
    ttlSeconds: deps.retention.ttlSeconds,
    warningSeconds: deps.config.dataLossWarningSeconds,
    oldestTime: range?.beginTime,
    nowSeconds,
    emit: deps.emit,
  });
  if (!fired) return undefined; // no promise on the idle path
  return deps.scheduleLog.write(
    shardRecord(deps, shard, TaskStatus.DataLossWarning, 'DataLossWarning', `unprocessed data expires in ${shard.timeToLossSeconds} s`),
  );
}
