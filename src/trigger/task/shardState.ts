// A shard's state between ticks, what a task needs (ShardTaskContext), and the steps every path shares:
// building a range with its receive times, committing a checkpoint, running the writes a decided
// range still owes.
import { addToCursor, compareCursors, cursorDistance } from '../../codec/index.js';
import type { CredentialsInput, LogClient } from '../../client/index.js';
import { EventCapability, eventOf, lastGroupTime, taskIdOf, type TriggerEvent } from '../../event/index.js';
import type { JobConfig } from '../job/config.js';
import type { Invoker } from '../invokers/types.js';
import type { ProcessLog } from '../records/processLog.js';
import type { Semaphore } from '../engine/semaphore.js';
import type { ScheduleLog } from '../records/scheduleLog.js';
import type { EmitFn } from '../engine/events.js';
import type { DataLossState } from './dataLoss.js';

export interface Range {
  begin: string;
  end: string;
  /** receive time of the range's first group (the oldest unprocessed data: time to loss) */
  beginTime: number;
  cursorTime: number;
  taskId: string;
}

/** A write owed once the function's outcome is decided (checkpoint, dead letter): retried alone, never by invoking again. */
export interface PendingWrite {
  readonly what: string;
  readonly run: () => Promise<void>;
}

export interface ShardState extends DataLossState {
  readonly id: number;
  /** next cursor to process; undefined until loaded */
  checkpoint?: string;
  /** the range being retried (a failed range is never widened or skipped by accident) */
  range?: Range;
  /** ranges still to deliver before the next window, the next one last (bisectOnError's halves) */
  deferred: Array<{ begin: string; end: string }>;
  /** failed attempts on `range` */
  attempt: number;
  nextDueMs: number;
  finished: boolean;
  /**
   * receive time (unix seconds) of the oldest group not processed yet (a retried, blocked or parked
   * range's begin; the next window's begin); undefined when caught up. Lag and time to loss derive
   * from it at the moment they are read (lagOf), so they keep growing while the shard fails.
   */
  oldestTime?: number;
  /** writes still owed for the last decided range, in order */
  pending: PendingWrite[];
  /** consecutive retriable SLS/transport failures (backoff), 0 after a clean run */
  failures: number;
  /** low-latency mode: when new data was first seen (the batching window runs from there) */
  dataSeenMs?: number;
  /** low-latency mode: checks in a row that found nothing (the poll interval backs off with them) */
  emptyPolls: number;
  /** when the last check for new data began (low-latency polls run start to start) */
  checkStartedMs: number;
  /** set when a fault no retry can mend stopped the shard (see ShardErrorEvent) */
  parked?: { code: string; message: string; sinceMs: number };
}

/** The one definition of lag: now minus the receive time of the oldest unprocessed group (0 when caught up). */
export function lagOf(shard: Pick<ShardState, 'oldestTime'>, nowMs: number): number {
  return shard.oldestTime === undefined ? 0 : Math.max(0, Math.floor(nowMs / 1000) - shard.oldestTime);
}

export function newShardState(id: number, checkpoint: string, nowMs: number): ShardState {
  return {
    id,
    checkpoint,
    deferred: [],
    attempt: 0,
    nextDueMs: nowMs,
    finished: false,
    pending: [],
    failures: 0,
    emptyPolls: 0,
    checkStartedMs: nowMs,
    lossWarned: false,
  };
}

export interface ShardTaskContext {
  readonly config: JobConfig;
  readonly client: LogClient;
  readonly invoker: Invoker;
  readonly scheduleLog: ScheduleLog;
  readonly processLog?: ProcessLog;
  /** bounds concurrent invocations across shards (checks for new data are not bounded) */
  readonly invocations: Semaphore;
  readonly consumer: string;
  readonly now: () => number;
  readonly random: () => number;
  readonly emit: EmitFn;
  /** the keys put in each invocation's context (a rotating source: its current keys at each call) */
  readonly credentials: CredentialsInput;
  readonly timing: { catchUpThresholdSeconds: number; catchUpIntervalMs: number; retryBaseMs: number; retryMaxMs: number };
  readonly newRequestId: () => string;
  /** the source logstore's TTL in seconds, once known (the scheduler reads it at setup) */
  readonly retention: { ttlSeconds?: number };
  /** runOnce (run --once) reads windows that are still open instead of waiting for their close */
  readonly flags: { closeOpenWindows: boolean };
}

export const sourceOf = (deps: ShardTaskContext, shardId: number) => ({
  project: deps.config.project,
  logstore: deps.config.logstore,
  shardId,
});

/** [begin, end) of the shard with its receive times and task id (`knownBeginTime`: the caller already read it). */
export async function rangeOf(
  deps: ShardTaskContext,
  shardId: number,
  begin: string,
  end: string,
  knownBeginTime?: number,
): Promise<Range> {
  const at = sourceOf(deps, shardId);
  const beginTime = compareCursors(begin, end) >= 0 ? 0 : (knownBeginTime ?? (await deps.client.getCursorTime({ ...at, cursor: begin })));
  const cursorTime = await lastGroupTime(deps.client, at, begin, end);
  return { begin, end, beginTime, cursorTime, taskId: taskIdOf(deps.config.jobName, shardId, begin, end) };
}

/** Log groups in the range (cursors step one per group). */
export const groupsIn = (r: { begin: string; end: string }): number => Number(cursorDistance(r.begin, r.end));

/** The cursor `n` groups into the range. */
export const cursorInto = (r: { begin: string }, n: number): string => addToCursor(r.begin, n);

/** The event for a range; it advertises partialProgress (FC's own trigger never does, so handlers then throw as FC expects). */
export function buildEvent(deps: ShardTaskContext, shardId: number, range: Range): TriggerEvent {
  const c = deps.config;
  const event = eventOf(
    { endpoint: deps.client.endpoint.url, project: c.project, logstore: c.logstore, jobName: c.jobName, parameter: c.functionParameter },
    shardId,
    range.begin,
    range.end,
    range.cursorTime,
  );
  return { ...event, capabilities: [EventCapability.PartialProgress] };
}

export async function commit(deps: ShardTaskContext, shard: ShardState, cursor: string): Promise<void> {
  const c = deps.config;
  await deps.client.updateCheckpoint({
    project: c.project,
    logstore: c.logstore,
    consumerGroup: c.jobName,
    consumer: deps.consumer,
    shardId: shard.id,
    checkpoint: cursor,
    forceSuccess: true,
  });
  shard.checkpoint = cursor;
  deps.emit('checkpoint', { shardId: shard.id, checkpoint: cursor });
}

/** Runs the writes a decided range still owes, in order; a failure leaves it and those after it owed. */
export async function runOwedWrites(shard: ShardState): Promise<void> {
  while (shard.pending.length > 0) {
    await shard.pending[0].run();
    shard.pending.shift();
  }
}
