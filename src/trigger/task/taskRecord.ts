// Schedule-log records: one per attempt (what the function did with a range), and records about a
// range or the shard that are not attempts (Bisected, Isolated, RecordAgeExceeded, Parked,
// DataLossWarning).
import type { InvokeOutcome } from '../invokers/types.js';
import { resultCounters, type ScheduleRecord, type TaskStatus } from '../records/scheduleLog.js';
import type { Range, ShardState, ShardTaskContext } from './shardState.js';

const NO_COUNTERS = { ingest_lines: 0, ingest_bytes: 0, ship_lines: 0, ship_bytes: 0 };

function base(deps: ShardTaskContext, shard: ShardState, range: Range | undefined, status: TaskStatus, startMs: number): ScheduleRecord {
  const endMs = deps.now();
  return {
    project_name: deps.config.project,
    logstore_name: deps.config.logstore,
    job_name: deps.config.jobName,
    task_id: range?.taskId ?? '',
    task_status: status,
    shard_id: shard.id,
    begin_cursor: range?.begin ?? shard.checkpoint ?? '',
    end_cursor: range?.end ?? '',
    cursor_time: range?.cursorTime ?? 0,
    attempt: shard.attempt,
    start_time: Math.floor(startMs / 1000),
    end_time: Math.floor(endMs / 1000),
    duration_ms: endMs - startMs,
    ...NO_COUNTERS,
    request_id: '',
  };
}

/** The record of one attempt on `range`. */
export function attemptRecord(
  deps: ShardTaskContext,
  shard: ShardState,
  range: Range,
  outcome: InvokeOutcome,
  status: TaskStatus,
  startMs: number,
): ScheduleRecord {
  const rec = base(deps, shard, range, status, startMs);
  rec.attempt = shard.attempt + 1;
  rec.request_id = outcome.requestId;
  if (outcome.ok) {
    const { text, ...counters } = resultCounters(outcome.body);
    Object.assign(rec, counters);
    rec.function_result = text;
  } else if (outcome.kind === 'function') {
    rec.error_code = outcome.errorType;
    rec.error_message = outcome.error.errorMessage;
  } else {
    rec.error_code = 'InvocationTransportError';
    rec.error_message = outcome.error.message;
  }
  return rec;
}

/** A record about a range that is not an attempt (Bisected, Isolated, RecordAgeExceeded). */
export function rangeRecord(
  deps: ShardTaskContext,
  shard: ShardState,
  range: Range,
  status: TaskStatus,
  code: string,
  message: string,
): ScheduleRecord {
  return { ...base(deps, shard, range, status, deps.now()), error_code: code, error_message: message };
}

/** A schedule-log record about the shard rather than an attempt (Parked, DataLossWarning): what `status` shows as its last task. */
export function shardRecord(deps: ShardTaskContext, shard: ShardState, status: TaskStatus, code: string, message: string): ScheduleRecord {
  return { ...base(deps, shard, shard.range, status, deps.now()), error_code: code, error_message: message };
}
