// The Python SDK's ConsumerWorker protocol (spec/sls-protocol.md §6.2-6.3; aliyun/log/consumer),
// followed step by step by several simulated workers against the embedded LogHub, while data flows
// and workers join and leave: every log is processed exactly once by the group.
// Per worker and round: heartbeat with heart_shards (held ∪ last answer); shards no longer assigned
// are shut down (final checkpoint, forceSuccess=true) and only then dropped from heart_shards;
// assigned shards start at GetCheckPoint (or begin), pull a batch, process it, commit the next cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogClient } from '../../src/client/index.js';
import { startTestHub } from '../helpers/hub.js';

const P = { project: 'pyworker', logstore: 'access' };
const G = { ...P, consumerGroup: 'python-group' };

class PyLikeWorker {
  heart = new Set<number>();
  assigned: number[] = [];
  cursors = new Map<number, string>();
  count = 0;

  constructor(
    readonly name: string,
    private readonly c: LogClient,
    private readonly processed: string[],
  ) {}

  private async shutdown(shard: number): Promise<void> {
    const cursor = this.cursors.get(shard);
    if (cursor) await this.c.updateCheckpoint({ ...G, consumer: this.name, shardId: shard, checkpoint: cursor, forceSuccess: true });
    this.cursors.delete(shard);
    this.heart.delete(shard);
  }

  async round(): Promise<void> {
    this.assigned = await this.c.heartbeat({ ...G, consumer: this.name, shards: [...this.heart] });
    for (const s of this.assigned) this.heart.add(s);
    for (const s of [...this.heart]) if (!this.assigned.includes(s)) await this.shutdown(s);
    for (const s of this.assigned) {
      let cursor = this.cursors.get(s);
      if (!cursor) {
        const [cp] = await this.c.getCheckpoint({ ...G, shardId: s });
        cursor = cp?.checkpoint || (await this.c.getCursor({ ...P, shardId: s, from: 'begin' }));
      }
      const r = await this.c.pullLogs({ ...P, shardId: s, cursor, count: 2 });
      for (const g of r.groups) for (let i = 0; i < g.logCount; i++) this.processed.push(g.value(i, 0));
      this.count += r.groups.reduce((k, g) => k + g.logCount, 0);
      this.cursors.set(s, r.nextCursor);
      if (r.count > 0)
        await this.c.updateCheckpoint({ ...G, consumer: this.name, shardId: s, checkpoint: r.nextCursor, forceSuccess: true });
    }
  }

  /** A clean stop: flush every held shard, then stop heartbeating (the group times the worker out). */
  async stop(): Promise<void> {
    for (const s of [...this.heart]) await this.shutdown(s);
  }
}

test('several ConsumerWorker-style workers: each log exactly once across joins and a leave', async () => {
  const t = await startTestHub('file');
  try {
    await t.client.createProject({ project: P.project });
    await t.client.createLogStore({ ...P, shardCount: 4 });
    await t.client.createConsumerGroup({ ...G, timeout: 40, order: true });
    const processed: string[] = [];
    const workers = ['w1', 'w2', 'w3'].map((n) => new PyLikeWorker(n, t.client, processed));
    let live = [workers[0]];
    const sent: string[] = [];
    let n = 0;
    let stoppedAt = -1;
    for (let round = 0; round < 60; round++) {
      if (round < 40) {
        const ids = [`id-${n++}`, `id-${n++}`];
        sent.push(...ids);
        await t.client.putLogs({
          ...P,
          logGroup: { logs: ids.map((id) => ({ time: 1, contents: [{ key: 'id', value: id }] })), logTags: [] },
        });
      }
      if (round === 8) live.push(workers[1]);
      if (round === 16) live.push(workers[2]);
      if (round === 26) {
        stoppedAt = workers[1].count;
        await workers[1].stop();
        live = live.filter((w) => w !== workers[1]);
      }
      for (const w of live) await w.round();
      t.clock.advance(10_000); // heartbeat every 10 s; w2 times out 40 s after it stops
    }
    assert.equal(processed.length, sent.length, 'nothing twice, nothing lost');
    assert.deepEqual([...processed].sort(), [...sent].sort());
    for (const w of workers) assert.ok(w.count > 0, `${w.name} processed some logs (the group really rebalanced)`);
    assert.equal(workers[1].count, stoppedAt, 'the stopped worker processed nothing after it left');
    const owners = new Set(live.flatMap((w) => w.assigned));
    assert.equal(owners.size, 4, 'every shard held by a live worker at the end');
  } finally {
    await t.close();
  }
});
