// Every event the Scheduler emits, declared once with its payload (as kafkajs declares its
// instrumentation events), so listeners are typed and the CLI and tests need no casts.
import type { ScheduleRecord } from '../records/scheduleLog.js';

export interface PollEvent {
  assigned: number[];
  shards: number;
  inFlight: number;
}
export interface InvokeEvent {
  shardId: number;
  taskId: string;
  beginCursor: string;
  endCursor: string;
  attempt: number;
  requestId: string;
}
/** A schedule-log record of one attempt, with the function's log lines. */
export type TaskEvent = ScheduleRecord & { logs: readonly string[] };
/**
 * A retry. `counted`: the function failed (counts toward maxRetryTime); otherwise SLS or the
 * transport failed (throttling, outage) and nothing counts. `write` names the write being retried
 * (checkpoint, dead letter) when the function's outcome is already decided and will not be redone.
 */
export interface RetryEvent {
  shardId: number;
  taskId?: string;
  attempt: number;
  delayMs: number;
  counted: boolean;
  exhausted: boolean;
  reason: string;
  write?: string;
}
/**
 * A shard stopped for a fault no retry can mend (a bug such as a TypeError, or a non-retriable SLS
 * answer such as InvalidCursor): it is parked, the rest of the job goes on. Not named 'error':
 * EventEmitter throws on an 'error' nobody listens to.
 */
export interface ShardErrorEvent {
  shardId: number;
  code: string;
  message: string;
  error: unknown;
}
export interface CheckpointEvent {
  shardId: number;
  checkpoint: string;
}
export interface LagEvent {
  shardId: number;
  seconds: number;
}
export interface WarningEvent {
  message: string;
  /** set on a data-loss warning (dataLoss.ts) */
  shardId?: number;
  timeToLossSeconds?: number;
}

/** bisectOnError split a failed range: [beginCursor, splitCursor) runs next, then [splitCursor, endCursor). */
export interface BisectEvent {
  shardId: number;
  taskId: string;
  beginCursor: string;
  splitCursor: string;
  endCursor: string;
}
/** A range left the shard for the dead letter (retries exhausted, or older than maxRecordAgeSeconds). */
export interface DeadLetterEvent {
  shardId: number;
  id: string;
  reason: string;
  beginCursor: string;
  endCursor: string;
  /** groups and bytes of data the letter keeps, and whether maxDataBytes cut it */
  groups: number;
  bytes: number;
  truncated: boolean;
}

/** The data under the shard's checkpoint expired: it moved from `from` to `to`, the oldest group still stored (expiry.ts). */
export interface ExpiredEvent {
  shardId: number;
  from: string;
  to: string;
  groups: number;
  fromTime?: number;
  toTime?: number;
  message: string;
}

/**
 * Shards this instance is not given: `holders` maps each consumer that last committed one of them
 * to its shards; a holder that stops heartbeating hands them over within `handoverSeconds`.
 */
export interface WaitingEvent {
  shardIds: number[];
  holders: Record<string, number[]>;
  handoverSeconds: number;
}

/** One check of a shard for new data: `found` false means no invocation was needed (an empty poll saved). */
export interface CheckEvent {
  shardId: number;
  found: boolean;
}

export interface SchedulerEvents {
  poll: [PollEvent];
  check: [CheckEvent];
  invoke: [InvokeEvent];
  task: [TaskEvent];
  retry: [RetryEvent];
  shardError: [ShardErrorEvent];
  checkpoint: [CheckpointEvent];
  lag: [LagEvent];
  shardFinished: [CheckpointEvent];
  warning: [WarningEvent];
  bisect: [BisectEvent];
  deadLetter: [DeadLetterEvent];
  expired: [ExpiredEvent];
  waiting: [WaitingEvent];
}

export type EmitFn = <K extends keyof SchedulerEvents>(event: K, ...args: SchedulerEvents[K]) => void;
