// Whether a running job is ready, as an orchestrator's readiness probe asks: it joined its consumer
// group, its heartbeats go through (else its shards are handed away after the group timeout), and
// SLS answers its ticks. Two heartbeat intervals of silence is not ready: one more and the group
// timeout (three intervals) hands its shards to another instance.

export interface SchedulerHealth {
  readonly joined: boolean;
  readonly stopping: boolean;
  readonly lastHeartbeatMs: number;
  readonly lastTickOkMs: number;
  readonly heartbeatIntervalMs: number;
  readonly nowMs: number;
}

export interface Readiness {
  readonly ready: boolean;
  /** why not, in words */
  readonly reason?: string;
  readonly lastHeartbeatSecondsAgo?: number;
  readonly lastTickSecondsAgo?: number;
}

const secondsSince = (thenMs: number, nowMs: number) => (Number.isFinite(thenMs) ? Math.round((nowMs - thenMs) / 1000) : undefined);

export function readinessOf(h: SchedulerHealth): Readiness {
  const ages = {
    lastHeartbeatSecondsAgo: secondsSince(h.lastHeartbeatMs, h.nowMs),
    lastTickSecondsAgo: secondsSince(h.lastTickOkMs, h.nowMs),
  };
  const limitMs = 2 * h.heartbeatIntervalMs;
  if (h.stopping) return { ready: false, reason: 'stopping: finishing in-flight tasks', ...ages };
  if (!h.joined) return { ready: false, reason: 'has not joined its consumer group yet', ...ages };
  if (h.nowMs - h.lastHeartbeatMs > limitMs)
    return {
      ready: false,
      reason: `last successful heartbeat ${ages.lastHeartbeatSecondsAgo ?? 'never'} s ago (every ${h.heartbeatIntervalMs / 1000} s)`,
      ...ages,
    };
  if (h.nowMs - h.lastTickOkMs > limitMs)
    return { ready: false, reason: `SLS last answered a tick ${ages.lastTickSecondsAgo ?? 'never'} s ago`, ...ages };
  return { ready: true, ...ages };
}
