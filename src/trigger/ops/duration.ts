// One way to write a span of seconds for people: dev's lag line, `status` and the console all print
// time to data loss through timeToLossText (they printed 167h, 6d23h and 6d for the same figure).

/** 6d23h, 3h12m, 4m30s, 45s. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d${h}h` : h > 0 ? `${h}h${m}m` : m > 0 ? `${m}m${s % 60}s` : `${s}s`;
}

/** A shard's time to data loss: '-' when nothing is pending, how much already expired when some has. */
export function timeToLossText(x: { timeToLossSeconds?: number; expiredGroups?: number }): string {
  if (x.expiredGroups) return `${x.expiredGroups} group${x.expiredGroups === 1 ? '' : 's'} expired`;
  if (x.timeToLossSeconds === undefined) return '-';
  return x.timeToLossSeconds <= 0 ? 'expiring' : formatDuration(x.timeToLossSeconds);
}
