// Memory backend: the same contract as the file store, nothing on disk (unit tests, --memory).
import type { CheckpointEntry } from './types.js';
import { emptyMeta, frameGroup, type DataRef, type HubMeta, type ReadResult, type ShardLog, type Store } from './types.js';

const dataKey = (ref: DataRef) => `${ref.project}/${ref.logstore}.${ref.dataId ?? ''}`;
import { lowerBound } from './search.js';

class MemoryShardLog implements ShardLog {
  private groups: Buffer[] = [];
  private times: number[] = [];
  private first = 0;

  begin(): number {
    return this.first;
  }

  end(): number {
    return this.first + this.groups.length;
  }

  // Keeps raw frames only: memory is for tests, where reads should cost nothing.
  async append(groups: readonly Buffer[], time: number): Promise<number> {
    const seq = this.end();
    for (const g of groups) {
      this.groups.push(frameGroup(g));
      this.times.push(time);
    }
    return seq;
  }

  async read(from: number, max: number, stop: number): Promise<ReadResult> {
    const last = Math.min(from + max, stop, this.end());
    const slice = last <= from ? [] : this.groups.slice(from - this.first, last - this.first);
    const body = Buffer.concat(slice);
    return {
      body: () => body,
      rawLength: body.length,
      count: slice.length,
      lastTime: slice.length ? this.times[last - 1 - this.first] : undefined,
    };
  }

  seqAtTime(time: number): number {
    return this.first + lowerBound(this.times.length, (i) => this.times[i] < time);
  }

  timeOf(seq: number): number {
    return this.times[seq - this.first];
  }

  async expireBefore(time: number): Promise<number> {
    const n = lowerBound(this.times.length, (i) => this.times[i] < time);
    this.groups = this.groups.slice(n);
    this.times = this.times.slice(n);
    this.first += n;
    return this.first;
  }
}

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private meta: HubMeta = emptyMeta();
  private readonly shards = new Map<string, MemoryShardLog>();

  async loadMeta(): Promise<HubMeta> {
    return structuredClone(this.meta);
  }

  async saveMeta(meta: HubMeta): Promise<void> {
    this.meta = structuredClone(meta);
  }

  /** The commit lives in the hub's metadata, which is this store's whole state until the next saveMeta. */
  async saveCheckpoint(e: CheckpointEntry): Promise<void> {
    const group = this.meta.projects[e.project]?.logstores[e.logstore]?.consumerGroups[e.group];
    if (group) group.checkpoints[e.shard] = { ...e.checkpoint };
  }

  async shard(ref: DataRef, shardId: number): Promise<ShardLog> {
    const key = `${dataKey(ref)}/${shardId}`;
    let s = this.shards.get(key);
    if (!s) {
      s = new MemoryShardLog();
      this.shards.set(key, s);
    }
    return s;
  }

  async drop(refs: readonly DataRef[]): Promise<void> {
    for (const ref of refs) {
      const prefix = `${dataKey(ref)}/`;
      for (const k of [...this.shards.keys()]) if (k.startsWith(prefix)) this.shards.delete(k);
    }
  }

  async close(): Promise<void> {}
}
