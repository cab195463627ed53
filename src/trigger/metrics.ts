// Prometheus metrics of a running job (prom-client), fed by the scheduler's events and read from its
// snapshot at scrape time. Each TriggerMetrics has its own registry (no global state), so several
// jobs or tests in one process stay apart; the console serves it on /metrics.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CheckEvent, DeadLetterEvent, ExpiredEvent, RetryEvent, TaskEvent } from './events.js';
import type { Scheduler } from './scheduler.js';

/** Invocation-duration buckets, seconds: 5 ms to 10 min (FC's longest timeouts). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export class TriggerMetrics {
  readonly registry: Registry;
  private readonly schedulers = new Map<string, Scheduler>();

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const r = [registry];
    const snapshots = () => [...this.schedulers].flatMap(([job, s]) => s.snapshot().map((shard) => ({ job, shard })));
    new Gauge({
      name: 'sls_trigger_shard_lag_seconds',
      help: 'seconds between now and the receive time of the oldest unprocessed log group (0 when caught up)',
      labelNames: ['job', 'shard'],
      registers: r,
      collect() {
        this.reset();
        for (const { job, shard } of snapshots()) this.set({ job, shard: String(shard.shardId) }, shard.lagSeconds);
      },
    });
    new Gauge({
      name: 'sls_trigger_shard_time_to_loss_seconds',
      help: 'the source TTL minus the age of the oldest unprocessed data (absent when nothing is pending)',
      labelNames: ['job', 'shard'],
      registers: r,
      collect() {
        this.reset();
        for (const { job, shard } of snapshots())
          if (shard.timeToLossSeconds !== undefined) this.set({ job, shard: String(shard.shardId) }, shard.timeToLossSeconds);
      },
    });
    this.invocations = new Counter({
      name: 'sls_trigger_invocations_total',
      help: 'function invocations (attempts) by the task status of their schedule-log record',
      labelNames: ['job', 'status'],
      registers: r,
    });
    this.duration = new Histogram({
      name: 'sls_trigger_invocation_duration_seconds',
      help: 'function invocation time per attempt',
      labelNames: ['job'],
      buckets: DURATION_BUCKETS,
      registers: r,
    });
    this.retries = new Counter({
      name: 'sls_trigger_retries_total',
      help: 'retries: kind=function (counts toward maxRetryTime), transport (SLS or network), write (a checkpoint or dead letter owed)',
      labelNames: ['job', 'kind'],
      registers: r,
    });
    this.deadLetters = new Counter({
      name: 'sls_trigger_dead_letters_total',
      help: 'ranges sent to the dead letter',
      labelNames: ['job', 'reason'],
      registers: r,
    });
    const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['job'], registers: r });
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

  private readonly invocations: Counter;
  private readonly duration: Histogram;
  private readonly retries: Counter;
  private readonly deadLetters: Counter;
  private readonly lines: Record<'ingestLines' | 'ingestBytes' | 'shipLines' | 'shipBytes', Counter>;
  private readonly polls: Counter;
  private readonly expiredGroups: Counter;
  private readonly emptyPolls: Counter;

  /** Starts counting the scheduler's events under its job's name; returns the detach function. */
  attach(scheduler: Scheduler, job: string): () => void {
    this.schedulers.set(job, scheduler);
    const l = { job };
    const onTask = (t: TaskEvent) => {
      // records that are not attempts (Bisected, Isolated, DataLossWarning, ...) carry no request id
      if (!t.request_id) return;
      this.invocations.inc({ job, status: t.task_status });
      this.duration.observe(l, t.duration_ms / 1000);
      this.lines.ingestLines.inc(l, t.ingest_lines);
      this.lines.ingestBytes.inc(l, t.ingest_bytes);
      this.lines.shipLines.inc(l, t.ship_lines);
      this.lines.shipBytes.inc(l, t.ship_bytes);
    };
    const onRetry = (r: RetryEvent) => this.retries.inc({ job, kind: r.write ? 'write' : r.counted ? 'function' : 'transport' });
    const onDeadLetter = (d: DeadLetterEvent) => this.deadLetters.inc({ job, reason: d.reason });
    const onCheck = (c: CheckEvent) => {
      this.polls.inc(l);
      if (!c.found) this.emptyPolls.inc(l);
    };
    scheduler.on('task', onTask);
    scheduler.on('retry', onRetry);
    scheduler.on('deadLetter', onDeadLetter);
    const onExpired = (x: ExpiredEvent) => this.expiredGroups.inc(l, x.groups);
    scheduler.on('check', onCheck);
    scheduler.on('expired', onExpired);
    return () => {
      scheduler.off('expired', onExpired);
      scheduler.off('task', onTask);
      scheduler.off('retry', onRetry);
      scheduler.off('deadLetter', onDeadLetter);
      scheduler.off('check', onCheck);
      this.schedulers.delete(job);
    };
  }
}
