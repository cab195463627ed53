// Prometheus metrics of a running job (prom-client), fed by the scheduler's events and read from its
// snapshot at scrape time. Each TriggerMetrics has its own registry (no global state), so several
// jobs or tests in one process stay apart; the console serves it on /metrics.
// Labels: `trigger_job` (the job's name: Prometheus keeps `job` for its own scrape target and would
// rename ours `exported_job`) and `logstore` (project/logstore: readable when the name is a hash).
// Label values known up front start at 0, so rate() and alerts work from the first scrape.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobConfig } from '../job/config.js';
import { DeadLetterReason } from '../deadLetters/deadLetter.js';
import type { CheckEvent, DeadLetterEvent, ExpiredEvent, RetryEvent, TaskEvent } from './events.js';
import { TaskStatus } from '../records/scheduleLog.js';
import type { Scheduler } from './scheduler.js';

/** Invocation-duration buckets, seconds: 5 ms to 10 min (FC's longest timeouts). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const JOB_LABELS = ['trigger_job', 'logstore'] as const;
/** the statuses an attempt's record can end with */
const ATTEMPT_STATUSES = [TaskStatus.Success, TaskStatus.Failed, TaskStatus.Skipped, TaskStatus.DeadLettered, TaskStatus.PartialFailure];
const RETRY_KINDS = ['function', 'transport', 'write'] as const;

type JobLabels = { trigger_job: string; logstore: string };

export class TriggerMetrics {
  readonly registry: Registry;
  private readonly schedulers = new Map<Scheduler, JobLabels>();
  private readonly invocations: Counter;
  private readonly duration: Histogram;
  private readonly retries: Counter;
  private readonly deadLetters: Counter;
  private readonly lines: Record<'ingestLines' | 'ingestBytes' | 'shipLines' | 'shipBytes', Counter>;
  private readonly polls: Counter;
  private readonly emptyPolls: Counter;
  private readonly expiredGroups: Counter;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const r = [registry];
    this.shardGauge(
      'sls_trigger_shard_lag_seconds',
      'seconds between now and the receive time of the oldest unprocessed log group (0 when caught up)',
      (s) => s.lagSeconds,
    );
    this.shardGauge(
      'sls_trigger_shard_time_to_loss_seconds',
      'the source TTL minus the age of the oldest unprocessed data (absent when nothing is pending)',
      (s) => s.timeToLossSeconds,
    );
    this.shardGauge('sls_trigger_shard_parked', '1 while the shard is parked (a fault no retry mends; see the Parked record)', (s) =>
      s.parked ? 1 : 0,
    );
    const counter = (name: string, help: string, extra: string[] = []) =>
      new Counter({ name, help, labelNames: [...JOB_LABELS, ...extra], registers: r });
    this.invocations = counter(
      'sls_trigger_invocations_total',
      'function invocations (attempts) by the task status of their schedule-log record',
      ['status'],
    );
    this.duration = new Histogram({
      name: 'sls_trigger_invocation_duration_seconds',
      help: 'function invocation time per attempt',
      labelNames: JOB_LABELS,
      buckets: DURATION_BUCKETS,
      registers: r,
    });
    this.retries = counter(
      'sls_trigger_retries_total',
      'retries: kind=function (counts toward maxRetryTime), transport (SLS or network), write (a checkpoint or dead letter owed)',
      ['kind'],
    );
    this.deadLetters = counter('sls_trigger_dead_letters_total', 'ranges sent to the dead letter', ['reason']);
    this.lines = {
      ingestLines: counter('sls_trigger_ingested_lines_total', 'log lines the function read (its ingestLines)'),
      ingestBytes: counter('sls_trigger_ingested_bytes_total', 'uncompressed LogGroup bytes the function read (its ingestBytes)'),
      shipLines: counter('sls_trigger_shipped_lines_total', 'log lines the function shipped (its shipLines)'),
      shipBytes: counter('sls_trigger_shipped_bytes_total', 'bytes the function shipped (its shipBytes)'),
    };
    this.expiredGroups = counter(
      'sls_trigger_expired_groups_total',
      'log groups the source TTL deleted before the job processed them (Expired records)',
    );
    this.polls = counter('sls_trigger_polls_total', 'shard checks for new data');
    this.emptyPolls = counter('sls_trigger_empty_polls_saved_total', 'shard checks that found no new data, so no invocation was made');
  }

  /** A gauge per held shard, read from the schedulers' snapshots at scrape time. */
  private shardGauge(name: string, help: string, value: (s: ReturnType<Scheduler['snapshot']>[number]) => number | undefined): void {
    const schedulers = this.schedulers;
    new Gauge({
      name,
      help,
      labelNames: [...JOB_LABELS, 'shard'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [scheduler, l] of schedulers)
          for (const shard of scheduler.snapshot()) {
            const v = value(shard);
            if (v !== undefined) this.set({ ...l, shard: String(shard.shardId) }, v);
          }
      },
    });
  }

  /** Starts every known series of the job at 0. */
  private start(l: JobLabels): void {
    for (const status of ATTEMPT_STATUSES) this.invocations.inc({ ...l, status }, 0);
    for (const kind of RETRY_KINDS) this.retries.inc({ ...l, kind }, 0);
    for (const reason of Object.values(DeadLetterReason)) this.deadLetters.inc({ ...l, reason }, 0);
    for (const c of [...Object.values(this.lines), this.expiredGroups, this.polls, this.emptyPolls]) c.inc(l, 0);
  }

  /** Starts counting the scheduler's events under its job's name and logstore; returns the detach function. */
  attach(scheduler: Scheduler, job: Pick<JobConfig, 'jobName' | 'project' | 'logstore'>): () => void {
    const l: JobLabels = { trigger_job: job.jobName, logstore: `${job.project}/${job.logstore}` };
    this.schedulers.set(scheduler, l);
    this.start(l);
    const onTask = (t: TaskEvent) => {
      // records that are not attempts (Bisected, Isolated, DataLossWarning, ...) carry no request id
      if (!t.request_id) return;
      this.invocations.inc({ ...l, status: t.task_status });
      this.duration.observe(l, t.duration_ms / 1000);
      this.lines.ingestLines.inc(l, t.ingest_lines);
      this.lines.ingestBytes.inc(l, t.ingest_bytes);
      this.lines.shipLines.inc(l, t.ship_lines);
      this.lines.shipBytes.inc(l, t.ship_bytes);
    };
    const onRetry = (r: RetryEvent) => this.retries.inc({ ...l, kind: r.write ? 'write' : r.counted ? 'function' : 'transport' });
    const onDeadLetter = (d: DeadLetterEvent) => this.deadLetters.inc({ ...l, reason: d.reason });
    const onCheck = (c: CheckEvent) => {
      this.polls.inc(l);
      if (!c.found) this.emptyPolls.inc(l);
    };
    const onExpired = (x: ExpiredEvent) => this.expiredGroups.inc(l, x.groups);
    scheduler.on('task', onTask);
    scheduler.on('retry', onRetry);
    scheduler.on('deadLetter', onDeadLetter);
    scheduler.on('check', onCheck);
    scheduler.on('expired', onExpired);
    return () => {
      scheduler.off('task', onTask);
      scheduler.off('retry', onRetry);
      scheduler.off('deadLetter', onDeadLetter);
      scheduler.off('check', onCheck);
      scheduler.off('expired', onExpired);
      this.schedulers.delete(scheduler);
    };
  }
}
