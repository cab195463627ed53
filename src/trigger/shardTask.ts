// One shard's work for one tick: compute FC's window [begin, end) (at most one interval of data by
// receive time past begin), invoke with a validated event, then checkpoint or retry per policy.
import { compareCursors } from '../codec/index.js';
import type { LogClient } from '../client/index.js';
import { backoffDelay } from '../client/retry.js';
import type { JobConfig } from './config.js';
import { eventOf, lastGroupTime, taskIdOf, type TriggerEvent } from '../event/index.js';
import type { InvokeOutcome, Invoker } from './invokers/types.js';
import type { ProcessLog } from './processLog.js';
import type { Semaphore } from './semaphore.js';
import { resultCounters, TaskStatus, type ScheduleLog, type ScheduleRecord } from './scheduleLog.js';
import type { EmitFn } from './events.js';
import { checkDataLoss, type DataLossState } from './dataLoss.js';

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
  /** failed attempts on `range` */
  attempt: number;
  nextDueMs: number;
  finished: boolean;
  lagSeconds: number;
  /** writes still owed for the last decided range, in order */
  pending: PendingWrite[];
  /** consecutive retriable SLS/transport failures (backoff), 0 after a clean run */
  failures: number;
  /** set when a fault no retry can mend stopped the shard (see ShardErrorEvent) */
  parked?: { code: string; message: string; sinceMs: number };
}

export function newShardState(id: number, checkpoint: string, nowMs: number): ShardState {
  return { id, checkpoint, attempt: 0, nextDueMs: nowMs, finished: false, lagSeconds: 0, pending: [], failures: 0, lossWarned: false };
}

export interface TaskDeps {
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
  readonly credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  readonly timing: { catchUpThresholdSeconds: number; catchUpIntervalMs: number; retryBaseMs: number; retryMaxMs: number };
  readonly newRequestId: () => string;
  /** the source logstore's TTL in seconds, once known (the scheduler reads it at setup) */
  readonly retention: { ttlSeconds?: number };
}

async function computeRange(deps: TaskDeps, shardId: number, begin: string): Promise<{ range?: Range; shardEnd: string }> {
  const c = deps.config;
  const at = { project: c.project, logstore: c.logstore, shardId };
  const shardEnd = await deps.client.getCursor({ ...at, from: 'end' });
  if (compareCursors(begin, shardEnd) >= 0) return { shardEnd };
  const beginTime = await deps.client.getCursorTime({ ...at, cursor: begin });
  const windowEnd = await deps.client.getCursor({ ...at, from: beginTime + c.triggerInterval });
  const end = compareCursors(windowEnd, shardEnd) < 0 && compareCursors(windowEnd, begin) > 0 ? windowEnd : shardEnd;
  const cursorTime = await lastGroupTime(deps.client, at, begin, end);
  return { range: { begin, end, beginTime, cursorTime, taskId: taskIdOf(c.jobName, shardId, begin, end) }, shardEnd };
}

function buildEvent(deps: TaskDeps, shardId: number, range: Range): TriggerEvent {
  const c = deps.config;
  return eventOf(
    { endpoint: deps.client.endpoint.url, project: c.project, logstore: c.logstore, jobName: c.jobName, parameter: c.functionParameter },
    shardId,
    range.begin,
    range.end,
    range.cursorTime,
  );
}

async function commit(deps: TaskDeps, shard: ShardState, cursor: string): Promise<void> {
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

function record(
  deps: TaskDeps,
  shard: ShardState,
  range: Range,
  outcome: InvokeOutcome,
  status: TaskStatus,
  startMs: number,
): ScheduleRecord {
  const endMs = deps.now();
  const counters = outcome.ok ? resultCounters(outcome.body) : { ingest_lines: 0, ingest_bytes: 0, ship_lines: 0, ship_bytes: 0, text: '' };
  const rec: ScheduleRecord = {
    project_name: deps.config.project,
    logstore_name: deps.config.logstore,
    job_name: deps.config.jobName,
    task_id: range.taskId,
    task_status: status,
    shard_id: shard.id,
    begin_cursor: range.begin,
    end_cursor: range.end,
    cursor_time: range.cursorTime,
    attempt: shard.attempt + 1,
    start_time: Math.floor(startMs / 1000),
    end_time: Math.floor(endMs / 1000),
    duration_ms: endMs - startMs,
    ingest_lines: counters.ingest_lines,
    ingest_bytes: counters.ingest_bytes,
    ship_lines: counters.ship_lines,
    ship_bytes: counters.ship_bytes,
    request_id: outcome.requestId,
  };
  if (outcome.ok) rec.function_result = counters.text;
  else if (outcome.kind === 'function') {
    rec.error_code = outcome.errorType;
    rec.error_message = outcome.error.errorMessage;
  } else {
    rec.error_code = 'InvocationTransportError';
    rec.error_message = outcome.error.message;
  }
  return rec;
}

async function deadLetter(deps: TaskDeps, event: TriggerEvent, rec: ScheduleRecord): Promise<void> {
  const dl = deps.config.deadLetter!;
  const contents = [
    { key: 'event', value: JSON.stringify(event) },
    { key: 'job_name', value: rec.job_name },
    { key: 'task_id', value: rec.task_id },
    { key: 'shard_id', value: String(rec.shard_id) },
    { key: 'begin_cursor', value: rec.begin_cursor },
    { key: 'end_cursor', value: rec.end_cursor },
    { key: 'attempts', value: String(rec.attempt) },
    { key: 'error_code', value: rec.error_code ?? '' },
    { key: 'error_message', value: rec.error_message ?? '' },
  ];
  await deps.client.putLogs({
    project: dl.project,
    logstore: dl.logstore,
    logGroup: { logs: [{ time: rec.end_time, contents }], topic: 'dead_letter', logTags: [] },
  });
}

async function updateLag(deps: TaskDeps, shard: ShardState, end: string, shardEnd: string): Promise<void> {
  const behind = compareCursors(end, shardEnd) < 0;
  const c = deps.config;
  shard.lagSeconds = behind
    ? Math.max(
        0,
        Math.floor(deps.now() / 1000) -
          (await deps.client.getCursorTime({ project: c.project, logstore: c.logstore, shardId: shard.id, cursor: end })),
      )
    : 0;
  deps.emit('lag', { shardId: shard.id, seconds: shard.lagSeconds });
  const catchUp = behind && shard.lagSeconds > deps.timing.catchUpThresholdSeconds;
  shard.nextDueMs = deps.now() + (catchUp ? deps.timing.catchUpIntervalMs : c.triggerInterval * 1000);
}

/** The range is done: what is owed now is writes only (the function is not called for it again). */
function onSuccess(deps: TaskDeps, shard: ShardState, range: Range, shardEnd: string): void {
  shard.range = undefined;
  shard.attempt = 0;
  shard.pending.push(
    { what: 'checkpoint', run: () => commit(deps, shard, range.end) },
    { what: 'lag', run: () => updateLag(deps, shard, range.end, shardEnd) },
  );
}

/** Runs the writes a decided range still owes, in order; a failure leaves it and those after it owed. */
async function settle(shard: ShardState): Promise<void> {
  while (shard.pending.length > 0) {
    await shard.pending[0].run();
    shard.pending.shift();
  }
}

/** What to do when the function failed on `range`. Returns the status for the schedule log. */
function onFailure(
  deps: TaskDeps,
  shard: ShardState,
  range: Range,
  event: TriggerEvent,
  rec: ScheduleRecord,
  counted: boolean,
): TaskStatus {
  const t = deps.timing;
  if (counted) shard.attempt++;
  const exhausted = counted && shard.attempt > deps.config.maxRetryTime;
  const delay = backoffDelay(Math.max(1, shard.attempt), { baseDelayMs: t.retryBaseMs, maxDelayMs: t.retryMaxMs, random: deps.random });
  if (!exhausted || deps.config.onRetriesExhausted === 'block') {
    // FC's behaviour: the same range again, quickly up to maxRetryTime, then at each interval.
    const wait = exhausted ? Math.max(delay, deps.config.triggerInterval * 1000) : delay;
    shard.nextDueMs = deps.now() + wait;
    deps.emit('retry', {
      shardId: shard.id,
      taskId: range.taskId,
      attempt: shard.attempt,
      delayMs: wait,
      counted,
      exhausted,
      reason: rec.error_message ?? '',
    });
    return TaskStatus.Failed;
  }
  shard.range = undefined;
  shard.attempt = 0;
  shard.nextDueMs = deps.now();
  if (deps.config.onRetriesExhausted === 'deadLetter') shard.pending.push({ what: 'dead letter', run: () => deadLetter(deps, event, rec) });
  shard.pending.push({ what: 'checkpoint', run: () => commit(deps, shard, range.end) });
  return deps.config.onRetriesExhausted === 'deadLetter' ? TaskStatus.DeadLettered : TaskStatus.Skipped;
}

/**
 * Runs one task for the shard if there is data; returns false when there was nothing to do. A run
 * that finds writes still owed for the last range (a checkpoint or dead letter that failed) only
 * finishes those.
 */
export async function runShardOnce(deps: TaskDeps, shard: ShardState, readonly: boolean): Promise<boolean> {
  if (shard.pending.length > 0) {
    await settle(shard);
    return true;
  }
  const begin = shard.range?.begin ?? shard.checkpoint!;
  const { range, shardEnd } = shard.range
    ? {
        range: shard.range,
        shardEnd: await deps.client.getCursor({
          project: deps.config.project,
          logstore: deps.config.logstore,
          shardId: shard.id,
          from: 'end',
        }),
      }
    : await computeRange(deps, shard.id, begin);
  await watchDataLoss(deps, shard, range);
  if (!range) {
    if (readonly && !shard.finished) {
      // The server counts a readonly shard as drained (and hands out its children) only once the
      // group's checkpoint equals its end: commit it even when this shard never had data.
      await commit(deps, shard, begin);
      shard.finished = true;
      deps.emit('shardFinished', { shardId: shard.id, checkpoint: begin });
    }
    shard.lagSeconds = 0;
    shard.nextDueMs = deps.now() + deps.config.triggerInterval * 1000;
    return false;
  }
  shard.range = range;
  const event = buildEvent(deps, shard.id, range);
  const startMs = deps.now();
  const requestId = deps.newRequestId();
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
      credentials: deps.credentials,
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
  const rec = record(deps, shard, range, outcome, outcome.ok ? TaskStatus.Success : TaskStatus.Failed, startMs);
  if (outcome.ok) onSuccess(deps, shard, range, shardEnd);
  else rec.task_status = onFailure(deps, shard, range, event, rec, outcome.kind === 'function');
  try {
    await settle(shard);
  } finally {
    // The attempt happened whatever became of the writes after it: it is logged either way.
    await deps.scheduleLog.write(rec);
    deps.emit('task', { ...rec, logs: outcome.ok || outcome.kind === 'function' ? outcome.logs : [] });
  }
  return true;
}

/** A schedule-log record about the shard rather than an attempt (Parked, DataLossWarning): what `status` shows as its last task. */
export function shardRecord(deps: TaskDeps, shard: ShardState, status: TaskStatus, code: string, message: string): ScheduleRecord {
  const nowSeconds = Math.floor(deps.now() / 1000);
  return {
    project_name: deps.config.project,
    logstore_name: deps.config.logstore,
    job_name: deps.config.jobName,
    task_id: shard.range?.taskId ?? '',
    task_status: status,
    shard_id: shard.id,
    begin_cursor: shard.range?.begin ?? shard.checkpoint ?? '',
    end_cursor: shard.range?.end ?? '',
    cursor_time: shard.range?.cursorTime ?? 0,
    attempt: shard.attempt,
    start_time: nowSeconds,
    end_time: nowSeconds,
    duration_ms: 0,
    ingest_lines: 0,
    ingest_bytes: 0,
    ship_lines: 0,
    ship_bytes: 0,
    error_code: code,
    error_message: message,
    request_id: '',
  };
}

/** Time to loss from the oldest unprocessed group; a warning (event and schedule-log record) when it crosses the threshold. */
async function watchDataLoss(deps: TaskDeps, shard: ShardState, range: Range | undefined): Promise<void> {
  const nowSeconds = Math.floor(deps.now() / 1000);
  const fired = checkDataLoss(shard, {
    shardId: shard.id,
    ttlSeconds: deps.retention.ttlSeconds,
    warningSeconds: deps.config.dataLossWarningSeconds,
    oldestTime: range?.beginTime,
    nowSeconds,
    emit: deps.emit,
  });
  if (!fired) return;
  await deps.scheduleLog.write(
    shardRecord(deps, shard, TaskStatus.DataLossWarning, 'DataLossWarning', `unprocessed data expires in ${shard.timeToLossSeconds} s`),
  );
}
