// When a shard is checked next. Interval mode keeps FC's semantics (one window of at most one
// interval of data by receive time) but closes windows on the dot: a window [t, t + interval) is
// read at its close plus windowGraceMs, and an idle shard is checked on whole-second boundaries
// one interval apart, so new data is always seen before its window closes. Behind, the next
// (already closed) window follows at FC's catch-up pace, never slower than one window per
// interval, or at once with drainBacklog. Low-latency mode checks every pollIntervalMs (start to start); with
// idlePollIntervalMs an idle shard's interval doubles after each empty check up to that bound, and
// snaps back to pollIntervalMs once a check finds data.
import type { ShardState, ShardTaskContext } from '../task/shardState.js';

/** Unix ms at which the window starting at receive time `beginTime` (unix s) may be read. */
export function windowCloseMs(deps: ShardTaskContext, beginTime: number): number {
  return (beginTime + deps.config.triggerInterval) * 1000 + deps.config.windowGraceMs;
}

/**
 * The next check of a shard with nothing new. Data arriving after now is received in second
 * floor(now) or later, so a check at (floor(now) + interval) s + grace comes no later than its window's close.
 */
export function idleCheckMs(deps: ShardTaskContext, shard: Pick<ShardState, 'emptyPolls' | 'checkStartedMs'>): number {
  const now = deps.now();
  const ll = deps.config.lowLatency;
  // start to start, as a timer: a tick starts every shard due at once, and a poll that waited for
  // its check to end missed the next tick and ran at twice the interval
  if (ll)
    return Math.max(now, shard.checkStartedMs + Math.min(ll.idlePollIntervalMs, ll.pollIntervalMs * 2 ** Math.min(shard.emptyPolls, 30)));
  return (Math.floor(now / 1000) + deps.config.triggerInterval) * 1000 + deps.config.windowGraceMs;
}

/**
 * After a range was checkpointed with more data behind it: `nextBeginTime` is the receive time of
 * the next unprocessed group, `lagSeconds` how far behind the shard is.
 */
export function nextWindowMs(deps: ShardTaskContext, nextBeginTime: number, lagSeconds: number): number {
  const now = deps.now();
  const c = deps.config;
  if (c.lowLatency || c.drainBacklog) return now;
  const close = windowCloseMs(deps, nextBeginTime);
  if (lagSeconds <= deps.timing.catchUpThresholdSeconds) return Math.max(now, close);
  // FC's catch-up cadence where it beats real time (about 2 s for intervals of 3 s and more); one window per interval otherwise
  return Math.max(close, now + Math.min(deps.timing.catchUpIntervalMs, c.triggerInterval * 1000));
}
