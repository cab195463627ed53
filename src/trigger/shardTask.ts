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

export interface Range {
  begin: string;
  end: string;
  cursorTime: number;
  taskId: string;
}

/** A write owed once the function's outcome is decided (checkpoint, dead letter): retried alone, never by invoking again. */
export interface PendingWrite {
  readonly what: string;
  readonly run: () => Promise<void>;
}

export interface ShardState {
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
  return { id, checkpoint, attempt: 0, nextDueMs: nowMs, finished: false, lagSeconds: 0, pending: [], failures: 0 };
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
}

async function computeRange(d: TaskDeps, shardId: number, begin: string): Promise<{ range?: Range; shardEnd: string }> {
  const c = d.config;
  const at = { project: c.project, logstore: c.logstore, shardId };
  const shardEnd = await d.client.getCursor({ ...at, from: 'end' });
  if (compareCursors(begin, shardEnd) >= 0) return { shardEnd };
  const beginTime = await d.client.getCursorTime({ ...at, cursor: begin });
  const windowEnd = await d.client.getCursor({ ...at, from: beginTime + c.triggerInterval });
  const end = compareCursors(windowEnd, shardEnd) < 0 && compareCursors(windowEnd, begin) > 0 ? windowEnd : shardEnd;
  const cursorTime = await lastGroupTime(d.client, at, begin, end);
  return { range: { begin, end, cursorTime, taskId: taskIdOf(c.jobName, shardId, begin, end) }, shardEnd };
}

function buildEvent(d: TaskDeps, shardId: number, r: Range): TriggerEvent {
  const c = d.config;
  return eventOf(
    { endpoint: d.client.endpoint.url, project: c.project, logstore: c.logstore, jobName: c.jobName, parameter: c.functionParameter },
    shardId,
    r.begin,
    r.end,
    r.cursorTime,
  );
}

async function commit(d: TaskDeps, s: ShardState, cursor: string): Promise<void> {
  const c = d.config;
  await d.client.updateCheckpoint({
    project: c.project,
    logstore: c.logstore,
    consumerGroup: c.jobName,
    consumer: d.consumer,
    shardId: s.id,
    checkpoint: cursor,
    forceSuccess: true,
  });
  s.checkpoint = cursor;
  d.emit('checkpoint', { shardId: s.id, checkpoint: cursor });
}

function record(d: TaskDeps, s: ShardState, r: Range, outcome: InvokeOutcome, status: TaskStatus, startMs: number): ScheduleRecord {
  const endMs = d.now();
  const counters = outcome.ok ? resultCounters(outcome.body) : { ingest_lines: 0, ingest_bytes: 0, ship_lines: 0, ship_bytes: 0, text: '' };
  const rec: ScheduleRecord = {
    project_name: d.config.project,
    logstore_name: d.config.logstore,
    job_name: d.config.jobName,
    task_id: r.taskId,
    task_status: status,
    shard_id: s.id,
    begin_cursor: r.begin,
    end_cursor: r.end,
    cursor_time: r.cursorTime,
    attempt: s.attempt + 1,
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

async function deadLetter(d: TaskDeps, event: TriggerEvent, rec: ScheduleRecord): Promise<void> {
  const dl = d.config.deadLetter!;
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
  await d.client.putLogs({
    project: dl.project,
    logstore: dl.logstore,
    logGroup: { logs: [{ time: rec.end_time, contents }], topic: 'dead_letter', logTags: [] },
  });
}

async function updateLag(d: TaskDeps, s: ShardState, end: string, shardEnd: string): Promise<void> {
  const behind = compareCursors(end, shardEnd) < 0;
  const c = d.config;
  s.lagSeconds = behind
    ? Math.max(
        0,
        Math.floor(d.now() / 1000) -
          (await d.client.getCursorTime({ project: c.project, logstore: c.logstore, shardId: s.id, cursor: end })),
      )
    : 0;
  d.emit('lag', { shardId: s.id, seconds: s.lagSeconds });
  const catchUp = behind && s.lagSeconds > d.timing.catchUpThresholdSeconds;
  s.nextDueMs = d.now() + (catchUp ? d.timing.catchUpIntervalMs : c.triggerInterval * 1000);
}

/** The range is done: what is owed now is writes only (the function is not called for it again). */
function onSuccess(d: TaskDeps, s: ShardState, r: Range, shardEnd: string): void {
  s.range = undefined;
  s.attempt = 0;
  s.pending.push({ what: 'checkpoint', run: () => commit(d, s, r.end) }, { what: 'lag', run: () => updateLag(d, s, r.end, shardEnd) });
}

/** Runs the writes a decided range still owes, in order; a failure leaves it and those after it owed. */
async function settle(s: ShardState): Promise<void> {
  while (s.pending.length > 0) {
    await s.pending[0].run();
    s.pending.shift();
  }
}

/** What to do when the function failed on `r`. Returns the status for the schedule log. */
function onFailure(d: TaskDeps, s: ShardState, r: Range, event: TriggerEvent, rec: ScheduleRecord, counted: boolean): TaskStatus {
  const t = d.timing;
  if (counted) s.attempt++;
  const exhausted = counted && s.attempt > d.config.maxRetryTime;
  const delay = backoffDelay(Math.max(1, s.attempt), { baseDelayMs: t.retryBaseMs, maxDelayMs: t.retryMaxMs, random: d.random });
  if (!exhausted || d.config.onRetriesExhausted === 'block') {
    // FC's behaviour: the same range again, quickly up to maxRetryTime, then at each interval.
    const wait = exhausted ? Math.max(delay, d.config.triggerInterval * 1000) : delay;
    s.nextDueMs = d.now() + wait;
    d.emit('retry', {
      shardId: s.id,
      taskId: r.taskId,
      attempt: s.attempt,
      delayMs: wait,
      counted,
      exhausted,
      reason: rec.error_message ?? '',
    });
    return TaskStatus.Failed;
  }
  s.range = undefined;
  s.attempt = 0;
  s.nextDueMs = d.now();
  if (d.config.onRetriesExhausted === 'deadLetter') s.pending.push({ what: 'dead letter', run: () => deadLetter(d, event, rec) });
  s.pending.push({ what: 'checkpoint', run: () => commit(d, s, r.end) });
  return d.config.onRetriesExhausted === 'deadLetter' ? TaskStatus.DeadLettered : TaskStatus.Skipped;
}

/**
 * Runs one task for the shard if there is data; returns false when there was nothing to do. A run
 * that finds writes still owed for the last range (a checkpoint or dead letter that failed) only
 * finishes those.
 */
export async function runShardOnce(d: TaskDeps, s: ShardState, readonly: boolean): Promise<boolean> {
  if (s.pending.length > 0) {
    await settle(s);
    return true;
  }
  const begin = s.range?.begin ?? s.checkpoint!;
  const { range, shardEnd } = s.range
    ? {
        range: s.range,
        shardEnd: await d.client.getCursor({ project: d.config.project, logstore: d.config.logstore, shardId: s.id, from: 'end' }),
      }
    : await computeRange(d, s.id, begin);
  if (!range) {
    if (readonly && !s.finished) {
      // The server counts a readonly shard as drained (and hands out its children) only once the
      // group's checkpoint equals its end: commit it even when this shard never had data.
      await commit(d, s, begin);
      s.finished = true;
      d.emit('shardFinished', { shardId: s.id, checkpoint: begin });
    }
    s.lagSeconds = 0;
    s.nextDueMs = d.now() + d.config.triggerInterval * 1000;
    return false;
  }
  s.range = range;
  const event = buildEvent(d, s.id, range);
  const startMs = d.now();
  const requestId = d.newRequestId();
  d.emit('invoke', {
    shardId: s.id,
    taskId: range.taskId,
    beginCursor: range.begin,
    endCursor: range.end,
    attempt: s.attempt + 1,
    requestId,
  });
  const release = await d.invocations.acquire();
  let outcome: InvokeOutcome;
  try {
    outcome = await d.invoker.invoke({
      event: Buffer.from(JSON.stringify(event)),
      requestId,
      timeoutMs: d.config.invocationTimeoutSeconds * 1000,
      credentials: d.credentials,
    });
  } finally {
    release();
  }
  if (outcome.ok || outcome.kind === 'function')
    await d.processLog?.write(
      outcome.logs,
      { requestId, taskId: range.taskId, shardId: s.id, jobName: d.config.jobName },
      Math.floor(d.now() / 1000),
    );
  const rec = record(d, s, range, outcome, outcome.ok ? TaskStatus.Success : TaskStatus.Failed, startMs);
  if (outcome.ok) onSuccess(d, s, range, shardEnd);
  else rec.task_status = onFailure(d, s, range, event, rec, outcome.kind === 'function');
  try {
    await settle(s);
  } finally {
    // The attempt happened whatever became of the writes after it: it is logged either way.
    await d.scheduleLog.write(rec);
    d.emit('task', { ...rec, logs: outcome.ok || outcome.kind === 'function' ? outcome.logs : [] });
  }
  return true;
}
