// The context every shard task runs in (task/shardState.ts ShardTaskContext), built once per
// Scheduler from its options: the schedule and process logs, the invocation bound, the timings.
import { randomUUID } from 'node:crypto';
import { SlsArgumentError } from '../../errors/index.js';
import { processLogOf } from '../job/targets.js';
import { ProcessLog } from '../records/processLog.js';
import { ScheduleLog } from '../records/scheduleLog.js';
import { Semaphore } from './semaphore.js';
import type { ShardTaskContext } from '../task/shardState.js';
import type { Clock } from './clock.js';
import type { EmitFn } from './events.js';
import { SCHEDULER_DEFAULTS, type SchedulerOptions } from './schedulerOptions.js';

function processLogFor(opts: SchedulerOptions, onError: (e: unknown) => void): ProcessLog | undefined {
  const t = opts.config.target;
  const where = processLogOf(t);
  return where && new ProcessLog(opts.client, where, t.functionName ?? 'function', onError);
}

export function taskContextFor(opts: SchedulerOptions, consumer: string, clock: Clock, emit: EmitFn): ShardTaskContext {
  const creds = opts.functionCredentials ?? opts.config.credentials;
  if (!creds) throw new SlsArgumentError('functionCredentials (or config.credentials) are required for the function context');
  return {
    config: opts.config,
    client: opts.client,
    invoker: opts.invoker,
    scheduleLog: new ScheduleLog({
      client: opts.client,
      project: opts.config.logConfig.project,
      logstore: opts.config.logConfig.logstore,
      sink: opts.scheduleSink,
      onWriteError: (e, b) =>
        emit('warning', {
          message:
            `schedule log write failed (${b.waiting} record(s) kept to be written again` +
            (b.dropped > 0 ? `, ${b.dropped} dropped: audit names their ranges as gaps` : '') +
            `): ${(e as Error).message}`,
        }),
    }),
    processLog: processLogFor(opts, (e) => emit('warning', { message: `process log write failed: ${(e as Error).message}` })),
    invocations: new Semaphore(opts.config.concurrency),
    consumer,
    now: () => clock.now(),
    random: opts.random ?? Math.random,
    emit,
    credentials: creds,
    timing: {
      catchUpThresholdSeconds: opts.catchUpThresholdSeconds ?? SCHEDULER_DEFAULTS.catchUpThresholdSeconds,
      catchUpIntervalMs: opts.catchUpIntervalMs ?? SCHEDULER_DEFAULTS.catchUpIntervalMs,
      retryBaseMs: opts.retryBaseMs ?? SCHEDULER_DEFAULTS.retryBaseMs,
      retryMaxMs: opts.retryMaxMs ?? SCHEDULER_DEFAULTS.retryMaxMs,
    },
    newRequestId: () => randomUUID(),
    retention: {},
    flags: { closeOpenWindows: false },
  };
}
