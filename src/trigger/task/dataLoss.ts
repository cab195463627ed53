// Time to data loss per shard: the logstore's TTL minus the age (by receive time) of the oldest
// data the job has not processed yet, i.e. of the group at its checkpoint. Below the job's
// dataLossWarningSeconds (default a quarter of the TTL) a warning fires once, until it recovers.
import type { EmitFn } from '../engine/events.js';

export interface DataLossState {
  timeToLossSeconds?: number;
  lossWarned: boolean;
}

/** Seconds until the oldest unprocessed group (received at `oldestTime`) expires; negative when it is gone. */
export function timeToLoss(ttlSeconds: number, oldestTime: number, nowSeconds: number): number {
  return ttlSeconds - (nowSeconds - oldestTime);
}

/**
 * Updates the shard's time to loss (undefined when nothing is pending) and fires the warning when it
 * crosses below the threshold. Returns true when it fired.
 */
export function checkDataLoss(
  state: DataLossState,
  o: {
    shardId: number;
    ttlSeconds: number | undefined;
    warningSeconds: number | undefined;
    oldestTime: number | undefined;
    nowSeconds: number;
    emit: EmitFn;
  },
): boolean {
  if (o.ttlSeconds === undefined || o.oldestTime === undefined) {
    state.timeToLossSeconds = undefined;
    state.lossWarned = false;
    return false;
  }
  const left = timeToLoss(o.ttlSeconds, o.oldestTime, o.nowSeconds);
  state.timeToLossSeconds = left;
  const threshold = o.warningSeconds ?? Math.floor(o.ttlSeconds / 4);
  if (left >= threshold) {
    state.lossWarned = false;
    return false;
  }
  if (state.lossWarned) return false;
  state.lossWarned = true;
  const when = left > 0 ? `in ${Math.round(left / 3600)} h (${left} s)` : `already (${-left} s ago)`;
  o.emit('warning', {
    message: `shard ${o.shardId}: unprocessed data expires ${when}: the logstore's TTL is about to delete what the job has not processed`,
    shardId: o.shardId,
    timeToLossSeconds: left,
  });
  return true;
}
