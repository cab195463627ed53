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
  /** a write failed: `waiting` records are kept to be sent again, `dropped` were given up (backlog full) */
  readonly onWriteError?: (e: unknown, backlog: { waiting: number; dropped: number }) => void;
  /** records kept while the logstore refuses writes (default 10 000); beyond it the oldest are dropped */
  readonly maxBacklog?: number;
}

export const SCHEDULE_LOG_DEFAULTS = { maxBacklog: 10_000 } as const;
/** records per PutLogs when a backlog is sent (well under SLS's 4096 logs per group) */
const PUT_BATCH = 1000;

/**
 * The schedule log is what `audit` proves coverage from, so a record that could not be written is
 * kept and sent again with the next one (tasks go on meanwhile: a missing logstore must not stop a
 * job). Records are written before the checkpoint they describe is committed (shardTask.ts): a
 * range is never committed unrecorded unless its record was dropped or the process died holding it,
 * and audit names such a range as a gap.
 */
export class ScheduleLog {
  private backlog: ScheduleRecord[] = [];
  private dropped = 0;
  private sending: Promise<void> | undefined;

  constructor(private readonly opts: ScheduleLogOptions) {}

  /** records still waiting to be written */
  get waiting(): number {
    return this.backlog.length;
  }

  async write(rec: ScheduleRecord): Promise<void> {
    const sink = this.opts.sink === undefined ? (l: string) => process.stdout.write(l + '\n') : this.opts.sink;
    sink?.(JSON.stringify(rec));
    this.backlog.push(rec);
    await this.flush();
  }

  /**
   * Sends the waiting records; a failure keeps the unsent for the next try. One sender at a time:
   * a caller waits for the one in progress, then sends what is still waiting (its own record too).
   */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
    if (this.backlog.length === 0) return;
    this.sending = this.drain();
    try {
      await this.sending;
    } finally {
      this.sending = undefined;
    }
  }

  /** One PutLogs per run of one job's records (up to PUT_BATCH), until the backlog is empty or a put fails. */
  private async drain(): Promise<void> {
    while (this.backlog.length > 0) {
      const jobName = this.backlog[0].job_name;
      let n = 1;
      while (n < this.backlog.length && n < PUT_BATCH && this.backlog[n].job_name === jobName) n++;
      const batch = this.backlog.slice(0, n);
      try {
        await this.put(jobName, batch);
      } catch (e) {
        this.keep(e);
        return;
      }
      // records written meanwhile were appended behind this batch
      this.backlog.splice(0, n);
    }
  }

  private keep(e: unknown): void {
    // A lost schedule-log line must not fail or repeat the task it describes.
    const max = this.opts.maxBacklog ?? SCHEDULE_LOG_DEFAULTS.maxBacklog;
    const over = this.backlog.length - max;
    if (over > 0) {
      this.backlog.splice(0, over);
      this.dropped += over;
    }
    this.opts.onWriteError?.(e, { waiting: this.backlog.length, dropped: this.dropped });
  }

  private put(jobName: string, recs: ScheduleRecord[]): Promise<void> {
    const logs = recs.map((rec) => ({
      time: Math.floor(rec.end_time),
      contents: Object.entries(rec)
        .filter(([, v]) => v !== undefined)
        .map(([key, value]) => ({ key, value: String(value) })),
    }));
    return this.opts.client.putLogs({
      project: this.opts.project,
      logstore: this.opts.logstore,
      logGroup: { logs, topic: 'etl_schedule', source: 'sls-trigger', logTags: [{ key: 'job_name', value: jobName }] },
    });
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
