// The logstore's shard list as the scheduler's ticks see it. Low-latency ticks come every
// pollIntervalMs: listing at each one was 20 ListShards a second per job against the project's
// request quota (and ~100 KB of JSON each at 1000 shards), so a list is kept for a while.
import type { LogClient, ShardInfo } from '../../client/index.js';
import type { Clock } from './clock.js';

export class ShardList {
  private listed?: { readonly atMs: number; readonly shards: Map<number, ShardInfo> };

  constructor(
    private readonly client: LogClient,
    private readonly at: { readonly project: string; readonly logstore: string },
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  /**
   * The shards by id: the last list while it is younger than maxAgeMs, unless `refresh` (a
   * heartbeat just ran) or a held shard is missing from it (a split or merge made it). A stale list
   * only delays noticing that a shard turned read-only, which its task learns at the next list.
   * The same Map is returned until the list is read again.
   */
  async current(held: readonly number[], refresh: boolean): Promise<Map<number, ShardInfo>> {
    const now = this.clock.now();
    const kept = this.listed;
    if (!refresh && kept && now - kept.atMs < this.maxAgeMs && held.every((id) => kept.shards.has(id))) return kept.shards;
    const list = await this.client.listShards({ project: this.at.project, logstore: this.at.logstore });
    const shards = new Map<number, ShardInfo>(list.map((s) => [s.shardID, s]));
    this.listed = { atMs: now, shards };
    return shards;
  }
}
