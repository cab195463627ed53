// Server-side shard assignment for one consumer group (the HeartBeat answer).
// Rules (docs/loghub.md, consumer groups):
// - every assignable shard has exactly one owner among live consumers, spread evenly (counts differ
//   by at most one); owners are sticky, so a shard moves only when balance requires it;
// - a consumer not heard from within the group timeout is dropped and its shards handed on;
// - a shard that moved is given to its new owner only after the previous holder stops listing it in
//   its heartbeat (it flushes its checkpoint first) or times out, so nothing is processed twice.

interface ConsumerState {
  lastSeen: number;
  /** what the consumer listed in its last heartbeat */
  held: Set<number>;
  /** what the server last told it to hold: it may have started on those before listing them */
  answered: Set<number>;
}

export class ConsumerAssigner {
  private readonly consumers = new Map<string, ConsumerState>();
  private readonly owner = new Map<number, string>();

  /** Live consumers and the shards each owns (for tests and the status command). */
  snapshot(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const name of this.consumers.keys()) out[name] = [];
    for (const [shard, name] of this.owner) out[name]?.push(shard);
    for (const k of Object.keys(out)) out[k].sort((a, b) => a - b);
    return out;
  }

  isLive(consumer: string): boolean {
    return this.consumers.has(consumer);
  }

  ownerOf(shard: number): string | undefined {
    return this.owner.get(shard);
  }

  /**
   * Records a heartbeat and returns the shards `consumer` should hold.
   * `assignable` = shards that may be consumed now (readwrite, or readonly and not yet drained;
   * with order=true, children only after their parents are drained).
   */
  heartbeat(consumer: string, held: readonly number[], assignable: readonly number[], nowMs: number, timeoutMs: number): number[] {
    this.expire(nowMs, timeoutMs);
    const state: ConsumerState = { lastSeen: nowMs, held: new Set(held), answered: new Set() };
    this.consumers.set(consumer, state);
    this.rebalance(assignable);
    const mine: number[] = [];
    for (const [shard, name] of this.owner) {
      if (name === consumer && !this.heldByOther(shard, consumer)) mine.push(shard);
    }
    state.answered = new Set(mine);
    return mine.sort((a, b) => a - b);
  }

  private expire(nowMs: number, timeoutMs: number): void {
    for (const [name, c] of this.consumers) {
      if (nowMs - c.lastSeen > timeoutMs) this.consumers.delete(name);
    }
    for (const [shard, name] of this.owner) if (!this.consumers.has(name)) this.owner.delete(shard);
  }

  private heldByOther(shard: number, consumer: string): boolean {
    for (const [name, c] of this.consumers) if (name !== consumer && (c.held.has(shard) || c.answered.has(shard))) return true;
    return false;
  }

  private rebalance(assignable: readonly number[]): void {
    const wanted = new Set(assignable);
    for (const shard of [...this.owner.keys()]) if (!wanted.has(shard)) this.owner.delete(shard);
    const names = [...this.consumers.keys()].sort();
    if (names.length === 0) return;
    const counts = new Map(names.map((n) => [n, 0]));
    for (const name of this.owner.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
    const least = () => names.reduce((a, b) => (counts.get(b)! < counts.get(a)! ? b : a));
    const most = () => names.reduce((a, b) => (counts.get(b)! > counts.get(a)! ? b : a));
    for (const shard of [...wanted].sort((a, b) => a - b)) {
      if (this.owner.has(shard)) continue;
      const to = least();
      this.owner.set(shard, to);
      counts.set(to, counts.get(to)! + 1);
    }
    for (let moved = 0; moved < wanted.size; moved++) {
      const from = most();
      const to = least();
      if (counts.get(from)! - counts.get(to)! <= 1) break;
      const shard = [...this.owner]
        .filter(([, n]) => n === from)
        .map(([s]) => s)
        .sort((a, b) => b - a)[0];
      this.owner.set(shard, to);
      counts.set(from, counts.get(from)! - 1);
      counts.set(to, counts.get(to)! + 1);
    }
  }
}
