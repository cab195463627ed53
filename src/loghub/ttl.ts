// TTL: data older than a logstore's ttl (days, by receive time) is deleted in whole segments.
// A cursor into deleted data then fails with InvalidCursor (Hub.seqOf), as SLS fails it.
import type { Hub } from './hub.js';

/** One sweep over every shard; returns how many shards moved their begin. */
export async function expireAll(hub: Hub): Promise<number> {
  let moved = 0;
  const now = hub.nowSeconds();
  for (const p of Object.values(hub.meta.projects)) {
    for (const ls of Object.values(p.logstores)) {
      const cutoff = now - ls.ttl * 86400;
      for (const s of ls.shards) {
        const log = await hub.shardLog(p.projectName, ls, s);
        const before = log.begin();
        if ((await log.expireBefore(cutoff)) !== before) moved++;
      }
    }
  }
  return moved;
}
