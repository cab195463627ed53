// What the console's charts show, sampled every `sampleMs`: lag per shard (from the job's status,
// so standalone mode against real SLS works too), and the schedule-log records that arrived since
// the last sample (tailed from the logstore), folded into ingested/shipped per trigger interval and
// invocation durations. Kept for `keep` samples; every sample is also pushed to the SSE streams.
import type { LogClient } from '../client/index.js';
import { jobStatus, scanLogstore, scheduleRecordOf, type JobConfig, type ScheduleRecord, type ShardStatus } from '../trigger/index.js';

type LastTask = NonNullable<ShardStatus['lastTask']>;

export interface LagSample {
  /** unix ms */
  t: number;
  lag: Record<number, number>;
}
export interface IntervalTotals {
  /** start of the interval, unix s */
  t: number;
  ingestLines: number;
  ingestBytes: number;
  shipLines: number;
  shipBytes: number;
}
export interface DurationPoint {
  /** end of the attempt, unix s */
  t: number;
  shardId: number;
  ms: number;
  status: string;
}
/** What one sample changed in the charts' series: the page merges it instead of refetching them. */
export interface SeriesDelta {
  lag: LagSample;
  /** the interval totals this sample's tasks added to (replace those with the same t) */
  intervals: IntervalTotals[];
  /** the attempts this sample's tasks ended */
  durations: DurationPoint[];
}
export interface Sample {
  lag: LagSample;
  shards: ShardStatus[];
  tasks: ScheduleRecord[];
  series: SeriesDelta;
}

export interface HistoryOptions {
  readonly client: LogClient;
  readonly job: JobConfig;
  readonly now: () => number;
  /** points kept per series (default 900: 30 min of lag at 2 s) */
  readonly keep?: number;
  /** schedule-log history the charts start with, seconds before the console's start (default 1800) */
  readonly historySeconds?: number;
}

export class History {
  /** points kept per series; the page trims its copy to the same */
  readonly keep: number;
  readonly lag: LagSample[] = [];
  readonly intervals: IntervalTotals[] = [];
  readonly durations: DurationPoint[] = [];
  shards: ShardStatus[] = [];
  private readonly listeners = new Set<(s: Sample) => void>();
  /** per schedule-log shard: the next cursor to read */
  private readonly tail = new Map<number, string>();
  /** per source shard: its newest schedule-log record seen */
  private readonly lastTask = new Map<number, LastTask>();

  constructor(private readonly o: HistoryOptions) {
    this.keep = o.keep ?? 900;
  }

  subscribe(fn: (s: Sample) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** One sample: status, new schedule-log records, folded and pushed. */
  async sample(): Promise<Sample> {
    const { client, job } = this.o;
    // the last task per shard comes from the tailed schedule log, not from a rescan of its tail each sample
    const status = await jobStatus(client, { project: job.project, logstore: job.logstore, jobName: job.jobName }, this.o.now());
    const tasks = await this.newTasks();
    for (const t of tasks)
      this.lastTask.set(t.shard_id, {
        status: t.task_status,
        time: t.end_time,
        taskId: t.task_id,
        errorCode: t.error_code,
        errorMessage: t.error_message,
      });
    this.shards = status.map((sh) => ({ ...sh, lastTask: this.lastTask.get(sh.shardId) }));
    const lag: LagSample = { t: this.o.now(), lag: Object.fromEntries(this.shards.map((sh) => [sh.shardId, sh.lagSeconds])) };
    const s = { lag, shards: this.shards, tasks, series: this.fold(lag, tasks) };
    for (const l of this.listeners) l(s);
    return s;
  }

  private fold(lag: LagSample, tasks: ScheduleRecord[]): SeriesDelta {
    this.lag.push(lag);
    const width = this.o.job.triggerInterval;
    const touched = new Set<IntervalTotals>();
    const durations: DurationPoint[] = [];
    for (const t of tasks) {
      if (t.request_id) durations.push({ t: t.end_time, shardId: t.shard_id, ms: t.duration_ms, status: t.task_status });
      const start = t.end_time - (t.end_time % width);
      let bucket = this.intervals.find((b) => b.t === start);
      if (!bucket) {
        bucket = { t: start, ingestLines: 0, ingestBytes: 0, shipLines: 0, shipBytes: 0 };
        this.intervals.push(bucket);
        this.intervals.sort((a, b) => a.t - b.t);
      }
      bucket.ingestLines += t.ingest_lines;
      bucket.ingestBytes += t.ingest_bytes;
      bucket.shipLines += t.ship_lines;
      bucket.shipBytes += t.ship_bytes;
      touched.add(bucket);
    }
    this.durations.push(...durations);
    this.durations.sort((a, b) => a.t - b.t);
    for (const list of [this.lag, this.intervals, this.durations]) if (list.length > this.keep) list.splice(0, list.length - this.keep);
    return { lag, intervals: [...touched].map((b) => ({ ...b })), durations };
  }

  /** The job's schedule-log records written since the last sample (the first one reads historySeconds back). */
  private async newTasks(): Promise<ScheduleRecord[]> {
    const { client, job } = this.o;
    const out: ScheduleRecord[] = [];
    const from = Math.floor(this.o.now() / 1000) - (this.o.historySeconds ?? 1800);
    for await (const { fields } of scanLogstore(client, job.logConfig, { from, position: this.tail }))
      if (fields.job_name === job.jobName && fields.task_status !== undefined) out.push(scheduleRecordOf(fields));
    return out.sort((a, b) => a.end_time - b.end_time);
  }
}
