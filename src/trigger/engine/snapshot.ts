// One held shard's progress as status, lag and the console read it (Scheduler.snapshot).
import { lagOf, type ShardState, type ShardTaskContext } from '../task/shardState.js';
import { timeToLoss } from '../task/dataLoss.js';

export interface ShardSnapshot {
  shardId: number;
  checkpoint?: string;
  lagSeconds: number;
  finished: boolean;
  attempt: number;
  inFlight: boolean;
  parked?: { code: string; message: string };
  /** TTL minus the age of the oldest unprocessed data; undefined when nothing is pending */
  timeToLossSeconds?: number;
  /** ranges bisectOnError still has to deliver before the next window */
  deferred: number;
}

export function snapshotOf(deps: ShardTaskContext, s: ShardState, inFlight: boolean): ShardSnapshot {
  const ttlSeconds = deps.retention.ttlSeconds;
  return {
    shardId: s.id,
    checkpoint: s.checkpoint,
    lagSeconds: lagOf(s, deps.now()),
    finished: s.finished,
    attempt: s.attempt,
    inFlight,
    parked: s.parked && { code: s.parked.code, message: s.parked.message },
    // Derived now, like lag: a parked or failing shard's figure keeps moving between checks.
    timeToLossSeconds:
      s.oldestTime === undefined || ttlSeconds === undefined
        ? s.timeToLossSeconds
        : timeToLoss(ttlSeconds, s.oldestTime, Math.floor(deps.now() / 1000)),
    deferred: s.deferred.length,
  };
}
