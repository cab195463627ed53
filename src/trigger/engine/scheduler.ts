// The trigger scheduler. Each tick: heartbeat in the job's consumer group (the server says which
// shards this instance holds), discover shards, and start one task for every held shard that is due
// and idle, up to `concurrency` at once. One task per shard in flight keeps order within a shard.
// Checkpoints live in the consumer group named after the job, so standard tools see progress.
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ShardInfo } from '../../client/index.js';
import { backoffCeiling, backoffDelay } from '../../client/retry.js';
import { isInvalidCursor, isRetriable, isSlsError } from '../../errors/index.js';
import type { SchedulerEvents } from './events.js';
import { checkSchedulerOptions, SCHEDULER_DEFAULTS, type SchedulerOptions } from './schedulerOptions.js';
import { taskContextFor } from './taskContext.js';
import type { JobConfig } from '../job/config.js';
import { realClock, type Clock } from './clock.js';
import { ShardList } from './shardList.js';
import { snapshotOf, type ShardSnapshot } from './snapshot.js';
import { TaskStatus } from '../records/scheduleLog.js';
import { runShardTask } from '../task/shardTask.js';
import { newShardState, type ShardState, type ShardTaskContext } from '../task/shardState.js';
import { shardRecord } from '../task/taskRecord.js';
import { onCheckpointExpired } from '../task/expiry.js';
import { adoptMovedCheckpoints, reportWaiting, setupJob } from './consumerGroup.js';
import type { SchedulerHealth } from './health.js';

export class Scheduler extends EventEmitter<SchedulerEvents> {
  readonly consumer: string;
  private readonly options: SchedulerOptions;
  private readonly clock: Clock;
  private readonly deps: ShardTaskContext;
  private readonly shards = new Map<number, ShardState>();
  private readonly inFlight = new Map<number, Promise<void>>();
  private assigned: number[] = [];
  private lastHeartbeatMs = -Infinity;
  private readonly shardList: ShardList;
  /** the list and assignment that prepare() last went through for */
  private prepared: { shards?: Map<number, ShardInfo>; assigned?: number[] } = {};
  /** when a tick last went through (SLS answered its ListShards, at most shardListMaxAgeMs before) */
  private lastTickOkMs = -Infinity;
  private stopping = false;
  private readonly waitingReported = { key: '' };
  private ready = false;
  private running = false;
  private wake: () => void = () => undefined;
  /** when run() sleeps until; -Infinity while a tick runs (its end plans the next wake itself) */
  private plannedWakeMs = -Infinity;
  private lastTickStartMs = -Infinity;
  /** the least time between ticks for shards that are due at once */
  private readonly minTickMs: number;

  constructor(opts: SchedulerOptions) {
    super();
    checkSchedulerOptions(opts);
    this.options = opts;
    this.clock = opts.clock ?? realClock;
    const maxAgeMs = opts.shardListMaxAgeMs ?? SCHEDULER_DEFAULTS.shardListMaxAgeMs;
    this.shardList = new ShardList(opts.client, opts.config, this.clock, maxAgeMs);
    this.minTickMs = opts.minTickMs ?? Math.min(SCHEDULER_DEFAULTS.minTickMs, opts.config.lowLatency?.pollIntervalMs ?? Infinity);
    this.consumer = opts.consumerName ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    // EventEmitter's generic signature cannot follow K through a spread; the EmitFn type checks callers.
    this.deps = taskContextFor(opts, this.consumer, this.clock, (event, ...args) =>
      (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args),
    );
  }

  private get cfg(): JobConfig {
    return this.options.config;
  }

  private get at() {
    return { project: this.cfg.project, logstore: this.cfg.logstore, consumerGroup: this.cfg.jobName };
  }

  private async setup(): Promise<void> {
    await setupJob(this.deps);
    this.ready = true;
  }

  private async heartbeat(): Promise<void> {
    const held = [...new Set([...this.assigned, ...this.inFlight.keys()])];
    this.assigned = await this.options.client.heartbeat({ ...this.at, consumer: this.consumer, shards: held });
    this.lastHeartbeatMs = this.clock.now();
    const assigned = new Set(this.assigned); // a Set: at 10,000 shards a list lookup per shard is 10^8 steps a heartbeat
    for (const id of [...this.shards.keys()]) if (!assigned.has(id) && !this.inFlight.has(id)) this.shards.delete(id);
    await adoptMovedCheckpoints(this.deps, this.shards, (id) => this.inFlight.has(id));
  }

  /** States for newly held shards: one GetCheckPoint for all, GetCursor(begin) only for new shards. */
  private async loadStates(ids: number[]): Promise<void> {
    const fresh = ids.filter((id) => !this.shards.has(id));
    if (fresh.length === 0) return;
    const cps = new Map((await this.options.client.getCheckpoint({ ...this.at })).map((c) => [c.shard, c.checkpoint]));
    for (const id of fresh) {
      const checkpoint =
        cps.get(id) ||
        (await this.options.client.getCursor({ project: this.cfg.project, logstore: this.cfg.logstore, shardId: id, from: 'begin' }));
      this.shards.set(id, newShardState(id, checkpoint, this.clock.now()));
    }
  }

  /**
   * One round: heartbeat when due, discover shards, start a task for every due idle shard (checking
   * for new data is cheap; only invocations are bounded by `concurrency`). Does not wait for tasks.
   */
  async tick(): Promise<void> {
    if (!this.ready) await this.setup();
    const heartbeatDue = this.clock.now() - this.lastHeartbeatMs >= this.cfg.heartbeatIntervalSeconds * 1000;
    if (heartbeatDue) await this.heartbeat();
    const shards = await this.shardList.current(this.assigned, heartbeatDue);
    this.emit('poll', { assigned: [...this.assigned], shards: shards.size, inFlight: this.inFlight.size });
    await this.prepare(shards);
    for (const id of this.assigned) {
      if (this.inFlight.has(id) || !shards.has(id)) continue;
      const s = this.shards.get(id)!;
      if (s.parked || this.clock.now() < s.nextDueMs) continue;
      this.inFlight.set(id, this.runTask(s, shards.get(id)!.status === 'readonly'));
    }
    this.lastTickOkMs = this.clock.now();
  }

  /**
   * What changes only with the list or the assignment: the waiting report and the states of newly
   * held shards. A finished task wakes the loop, so ticks come as often as tasks end; this keeps
   * those ticks to one pass over the held shards.
   */
  private async prepare(shards: Map<number, ShardInfo>): Promise<void> {
    const assigned = this.assigned;
    if (this.prepared.shards === shards && this.prepared.assigned === assigned) return;
    const writable = [...shards.values()].filter((s) => s.status !== 'readonly').map((s) => s.shardID); // a drained parent is never handed out
    await reportWaiting(this.deps, writable, assigned, this.waitingReported);
    await this.loadStates(assigned.filter((id) => shards.has(id)));
    this.prepared = { shards, assigned };
  }

  /** What the readiness probe reads (ops/health.ts readinessOf). */
  health(): SchedulerHealth {
    return {
      joined: this.ready,
      stopping: this.stopping,
      lastHeartbeatMs: this.lastHeartbeatMs,
      lastTickOkMs: this.lastTickOkMs,
      heartbeatIntervalMs: this.cfg.heartbeatIntervalSeconds * 1000,
      nowMs: this.clock.now(),
    };
  }

  /** One shard's task; never rejects (a failure is handled by onTaskError). One promise per task: the idle check is the hot path. */
  private async runTask(s: ShardState, readonly: boolean): Promise<void> {
    try {
      await runShardTask(this.deps, s, readonly);
      s.failures = 0;
    } catch (e) {
      await this.onTaskError(s, e);
    } finally {
      this.inFlight.delete(s.id);
      // Moves run()'s wake only if this shard is due before it: at 1000 shards a tick per finished
      // check was 7,600 ticks a second.
      const at = s.parked ? Infinity : this.tickTimeFor(s.nextDueMs);
      if (at < this.plannedWakeMs) {
        this.plannedWakeMs = at;
        this.wake();
      }
    }
  }

  /**
   * A task threw: SLS or the transport failed (the function's own failures are outcomes, not
   * throws). Retriable faults back off with jitter and try again (a write still owed is retried
   * alone, the function is not called again); anything else parks the shard and is surfaced.
   */
  private async onTaskError(s: ShardState, e: unknown): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    if (isRetriable(e)) {
      s.failures++;
      const t = this.deps.timing;
      const delayMs = backoffDelay(s.failures, { baseDelayMs: t.retryBaseMs, maxDelayMs: t.retryMaxMs, random: this.deps.random });
      s.nextDueMs = this.clock.now() + delayMs;
      this.emit('retry', {
        shardId: s.id,
        taskId: s.range?.taskId,
        attempt: s.failures,
        delayMs,
        counted: false,
        exhausted: false,
        reason: message,
        write: s.pending[0]?.what,
      });
      return;
    }
    let reason = { code: isSlsError(e) ? e.code : e instanceof Error ? e.name : 'Error', message };
    if (isInvalidCursor(e) && s.pending.length === 0) {
      try {
        const expired = await onCheckpointExpired(this.deps, s);
        if (expired === 'moved') return;
        if (expired) reason = expired;
      } catch (e2) {
        // the lookup itself failed: a retriable fault backs off like any task, anything else parks on the first
        if (isRetriable(e2)) return this.onTaskError(s, e2);
      }
    }
    s.parked = { ...reason, sinceMs: this.clock.now() };
    this.emit('shardError', { shardId: s.id, ...reason, error: e });
    // `status` shows it as the shard's last task (a failed write here is only a warning).
    await this.deps.scheduleLog.write(shardRecord(this.deps, s, TaskStatus.Parked, reason.code, reason.message));
  }

  /** Resolves when every task started so far has finished. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  /**
   * One tick and its tasks, then whatever bisectOnError started in it, to the end: its halves live
   * only in memory, so a run that stopped in between would bisect the same range again next time.
   * Windows still open are read at once (a cron run delivers what is there and exits).
   */
  async runOnce(): Promise<void> {
    // a one-shot run (cron) delivers what is there: it does not wait for open windows to close
    this.deps.flags.closeOpenWindows = true;
    await this.tick();
    await this.whenIdle();
    for (;;) {
      // A group that exhausted its retries under `block` waits for the next run, as FC waits.
      const bisecting = [...this.shards.values()].filter((s) => s.deferred.length > 0 && !s.parked && s.attempt <= this.cfg.maxRetryTime);
      if (bisecting.length === 0) return;
      await this.clock.sleep(Math.max(0, Math.min(...bisecting.map((s) => s.nextDueMs)) - this.clock.now()));
      await this.tick();
      await this.whenIdle();
    }
  }

  /** Held shards with their progress (for status and lag). */
  snapshot(): ShardSnapshot[] {
    return [...this.shards.values()].map((s) => snapshotOf(this.deps, s, this.inFlight.has(s.id)));
  }

  /** The earliest of the next heartbeat, the next due shard and one interval from now (after every tick: one pass, no copies). */
  private nextWakeMs(): number {
    let wakeMs = Math.min(
      this.lastHeartbeatMs + this.cfg.heartbeatIntervalSeconds * 1000,
      this.clock.now() + this.cfg.triggerInterval * 1000,
    );
    for (const s of this.shards.values()) if (s.nextDueMs < wakeMs && !s.parked && !this.inFlight.has(s.id)) wakeMs = s.nextDueMs;
    return wakeMs;
  }

  /**
   * Runs ticks until stop(). A failed tick (SLS unreachable, say) is emitted as a warning and the
   * next one waits with exponential backoff up to one interval, so an outage is not hammered.
   */
  async run(): Promise<void> {
    this.running = true;
    let failures = 0;
    while (this.running) {
      this.lastTickStartMs = this.clock.now();
      try {
        await this.tick();
        failures = 0;
      } catch (e) {
        failures++;
        this.emit('warning', { message: `tick failed (${failures} in a row): ${(e as Error).message}` });
        // one process polling: no herd to spread, so the plain exponential step (no jitter)
        await this.clock.sleep(
          backoffCeiling(failures, { baseDelayMs: this.deps.timing.retryBaseMs, maxDelayMs: this.cfg.triggerInterval * 1000 }),
        );
        continue;
      }
      await this.sleepUntilDue();
    }
  }

  /** Sleeps until the next shard is due; a task that ends due sooner moves the wake (runTask). */
  private async sleepUntilDue(): Promise<void> {
    this.plannedWakeMs = this.tickTimeFor(this.nextWakeMs());
    while (this.running) {
      const leftMs = this.plannedWakeMs - this.clock.now();
      if (leftMs <= 0) break;
      let woken = false;
      const wakeSignal = new Promise<void>((resolve) => {
        this.wake = () => {
          woken = true;
          resolve();
        };
      });
      await this.clock.sleep(leftMs, wakeSignal);
      if (!woken) break; // the timer: due now (a manual clock's sleep ends at once and is not slept again)
    }
    this.plannedWakeMs = -Infinity; // while a tick runs, its end plans the next wake
  }

  /**
   * When a tick for a shard due at `dueMs` starts: then, or for a shard already due, minTickMs
   * after the last tick began. Each tick passes over every held shard, so shards due at once (checks
   * slower than the poll interval, catch-up) share a tick instead of starting one each.
   */
  private tickTimeFor(dueMs: number): number {
    return dueMs > this.clock.now() ? dueMs : this.lastTickStartMs + this.minTickMs;
  }

  /**
   * Stops ticking and waits for in-flight tasks (their checkpoints are committed), or at most
   * `drainTimeoutMs`: the shards whose tasks still run are returned as abandoned.
   */
  async stop(opts: { drainTimeoutMs?: number } = {}): Promise<{ abandoned: number[] }> {
    this.stopping = true;
    this.running = false;
    this.wake();
    const drained = this.whenIdle();
    await (opts.drainTimeoutMs === undefined ? drained : Promise.race([drained, this.clock.sleep(opts.drainTimeoutMs)]));
    await this.deps.scheduleLog.flush();
    if (opts.drainTimeoutMs === undefined) return { abandoned: [] };
    // still running: uncommitted, so the next holder of each shard delivers the range again
    return { abandoned: [...this.inFlight.keys()].sort((a, b) => a - b) };
  }
}
