// A job's task history read back from its schedule-log logstore (what the console's Tasks view and
// charts show), and a task's process-log lines from the function's log logstore. Both read only
// the SLS API, so they work against real SLS, where FC's trigger writes the schedule log.
import type { LogClient } from '../../client/index.js';
import type { LogstoreRef } from '../../event/index.js';
import { scanLogstore, type Fields } from '../../event/index.js';
import type { ScheduleRecord, TaskStatus } from './scheduleLog.js';

export interface TaskFilter {
  readonly shardId?: number;
  readonly status?: string;
  /** unix seconds, inclusive: end_time at or after */
  readonly from?: number;
  /** unix seconds, inclusive: end_time at or before */
  readonly to?: number;
  /** newest records kept (default 200) */
  readonly limit?: number;
}

const NUMBER_FIELDS = [
  'shard_id',
  'cursor_time',
  'attempt',
  'start_time',
  'end_time',
  'duration_ms',
  'ingest_lines',
  'ingest_bytes',
  'ship_lines',
  'ship_bytes',
] as const;

/** A schedule-log log back as a record (numbers as numbers; absent numbers 0). */
export function scheduleRecordOf(f: Fields): ScheduleRecord {
  const rec = { ...f } as Record<string, unknown>;
  delete rec.__time__;
  for (const k of NUMBER_FIELDS) rec[k] = Number(f[k] ?? 0);
  rec.task_status = f.task_status as TaskStatus;
  return rec as unknown as ScheduleRecord;
}

/** The job's schedule-log records matching the filter, newest first. */
export async function readTaskHistory(
  client: LogClient,
  log: LogstoreRef,
  jobName: string,
  filter: TaskFilter = {},
): Promise<ScheduleRecord[]> {
  const out: ScheduleRecord[] = [];
  for await (const { fields } of scanLogstore(client, log, { from: filter.from ?? 'begin' })) {
    if (fields.job_name !== jobName || fields.task_status === undefined) continue;
    const rec = scheduleRecordOf(fields);
    if (filter.shardId !== undefined && rec.shard_id !== filter.shardId) continue;
    if (filter.status && rec.task_status !== filter.status) continue;
    if (filter.from !== undefined && rec.end_time < filter.from) continue;
    if (filter.to !== undefined && rec.end_time > filter.to) continue;
    out.push(rec);
  }
  // newest first; within one second, the record written later first (reversed before a stable sort)
  out.reverse().sort((a, b) => b.end_time - a.end_time || b.start_time - a.start_time);
  return out.slice(0, filter.limit ?? 200);
}

/** The function's log lines for one request id (FC's `message` field), from `since` (unix seconds) on. */
export async function readProcessLines(client: LogClient, log: LogstoreRef, requestId: string, since?: number): Promise<string[]> {
  const lines: Array<{ time: number; message: string }> = [];
  for await (const { fields } of scanLogstore(client, log, { from: since ?? 'begin' })) {
    const id = fields.request_id ?? fields.requestId;
    if (id === requestId && fields.message !== undefined) lines.push({ time: Number(fields.__time__), message: fields.message });
  }
  return lines.sort((a, b) => a.time - b.time).map((l) => l.message);
}
