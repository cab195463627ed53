// Schedule log: one record per attempt, written with PutLogs into the trigger's logConfig logstore
// (field names the real schedule log is known to use: project_name, job_name, task_status,
// ingest_lines, ingest_bytes, ship_lines, ship_bytes; plus ours), and as a JSON line to a sink.
import type { LogClient } from '../../client/index.js';

export const TaskStatus = {
  Success: 'Success',
  Failed: 'Failed',
  Skipped: 'Skipped',
  DeadLettered: 'DeadLettered',
  /** a fault no retry can mend stopped the shard (a ShardErrorEvent); it resumes on restart */
  Parked: 'Parked',
  /** the shard's unprocessed data is about to expire (dataLoss.ts); not an attempt */
  DataLossWarning: 'DataLossWarning',
  /** bisectOnError split the failed range at split_cursor; its halves follow, the left first */
  Bisected: 'Bisected',
  /** bisectOnError narrowed a failure down to the one log group at begin_cursor */
  Isolated: 'Isolated',
  /** the function processed [begin_cursor, resume_cursor) and failed after it (partialProgress) */
  PartialFailure: 'PartialFailure',
  /** [begin_cursor, end_cursor) was older than maxRecordAgeSeconds: dead-lettered, or skipped without a dead letter */
  RecordAgeExceeded: 'RecordAgeExceeded',
  /** [begin_cursor, end_cursor) expired (source TTL) before it was processed; the shard moved on to end_cursor (expiry.ts) */
  Expired: 'Expired',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export interface ScheduleRecord {
  project_name: string;
  logstore_name: string;
  job_name: string;
  task_id: string;
  task_status: TaskStatus;
  shard_id: number;
  begin_cursor: string;
  end_cursor: string;
  cursor_time: number;
  attempt: number;
  start_time: number;
  end_time: number;
  duration_ms: number;
  ingest_lines: number;
  ingest_bytes: number;
  ship_lines: number;
  ship_bytes: number;
  error_code?: string;
  error_message?: string;
  function_result?: string;
  request_id: string;
  /** Bisected: where the range was split */
  split_cursor?: string;
  /** PartialFailure: the first group not processed */
  resume_cursor?: string;
  /** DeadLettered, RecordAgeExceeded: the letter's id */
  dead_letter_id?: string;
  /** Expired: log groups lost in [begin_cursor, end_cursor) */
  expired_groups?: number;
}

export interface ScheduleLogOptions {
  readonly client: LogClient;
  readonly project: string;
  readonly logstore: string;
  /** where the JSON line goes (default: stdout); null = nowhere */
  readonly sink?: ((line: string) => void) | null;
  readonly onWriteError?: (e: unknown) => void;
}

export class ScheduleLog {
  constructor(private readonly opts: ScheduleLogOptions) {}

  async write(rec: ScheduleRecord): Promise<void> {
    const sink = this.opts.sink === undefined ? (l: string) => process.stdout.write(l + '\n') : this.opts.sink;
    sink?.(JSON.stringify(rec));
    const contents = Object.entries(rec)
      .filter(([, v]) => v !== undefined)
      .map(([key, value]) => ({ key, value: String(value) }));
    try {
      await this.opts.client.putLogs({
        project: this.opts.project,
        logstore: this.opts.logstore,
        logGroup: {
          logs: [{ time: Math.floor(rec.end_time), contents }],
          topic: 'etl_schedule',
          source: 'sls-trigger',
          logTags: [{ key: 'job_name', value: rec.job_name }],
        },
      });
    } catch (e) {
      // A lost schedule-log line must not fail or repeat the task it describes.
      this.opts.onWriteError?.(e);
    }
  }
}

/** Lifts the function's result counters (camelCase, the Java template's names) into snake_case fields. */
export function resultCounters(body: Buffer): {
  ingest_lines: number;
  ingest_bytes: number;
  ship_lines: number;
  ship_bytes: number;
  text: string;
} {
  const text = body.toString('utf8');
  let j: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object') j = parsed as Record<string, unknown>;
  } catch {
    // a function may return any text; counters then stay 0
  }
  const n = (k: string) => (typeof j[k] === 'number' ? (j[k] as number) : 0);
  return {
    ingest_lines: n('ingestLines'),
    ingest_bytes: n('ingestBytes'),
    ship_lines: n('shipLines'),
    ship_bytes: n('shipBytes'),
    text: text.slice(0, 4096),
  };
}
