// Checkpoint commits go to an append-only journal (store/checkpointJournal.ts), not a rewrite of
// meta.json: a commit leaves meta.json as it was; a restart reads every acknowledged checkpoint back;
// the journal is folded into meta.json past its size bound and at start; a torn last line (a crash
// mid-append) is dropped; a deleted group's lines are ignored; commits made during a compaction
// are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY, startLogHub, type LogHubOptions } from '../../src/loghub/index.js';

const P = { project: 'journal', logstore: 'src' };
const G = { ...P, consumerGroup: 'g' };

async function hubIn(dataDir: string, extra: Partial<LogHubOptions> = {}) {
  const hub = await startLogHub({ port: 0, dataDir, ttlIntervalMs: 0, ...extra });
  const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
  return {
    hub,
    client,
    async close() {
      client.close();
      await hub.close();
    },
  };
}

async function cursorsOf(c: LogClient, shards: number): Promise<string[][]> {
  const out: string[][] = [];
  for (let s = 0; s < shards; s++) {
    const begin = await c.getCursor({ ...P, shardId: s, from: 'begin' });
    const end = await c.getCursor({ ...P, shardId: s, from: 'end' });
    out.push([begin, end]);
  }
  return out;
}

test('a commit is one journal append: meta.json is not rewritten, and a restart reads every acknowledged checkpoint', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-journal-'));
  try {
    let h = await hubIn(dir);
    await h.client.createProject({ project: P.project });
    await h.client.createLogStore({ ...P, shardCount: 4 });
    for (let s = 0; s < 4; s++)
      await h.client.putLogs({
        ...P,
        hashKey: ['00', '40', '80', 'c0'][s].padEnd(32, '0'),
        logGroup: { logs: [{ time: 1, contents: [{ key: 'a', value: String(s) }] }], logTags: [] },
      });
    await h.client.createConsumerGroup({ ...G, timeout: 60, order: false });
    const meta = readFileSync(path.join(dir, 'meta.json'), 'utf8');
    const cursors = await cursorsOf(h.client, 4);
    for (let round = 0; round < 3; round++)
      await Promise.all(
        cursors.map(([begin, end], shardId) =>
          h.client.updateCheckpoint({ ...G, shardId, checkpoint: round % 2 ? begin : end, forceSuccess: true }),
        ),
      );
    assert.equal(readFileSync(path.join(dir, 'meta.json'), 'utf8'), meta, 'meta.json untouched by 12 commits');
    assert.equal(readFileSync(path.join(dir, 'checkpoints.journal'), 'utf8').trim().split('\n').length, 12);
    await h.close();
    h = await hubIn(dir);
    assert.deepEqual(
      (await h.client.getCheckpoint(G)).map((c) => [c.shard, c.checkpoint]),
      cursors.map(([, end], shardId) => [shardId, end]),
    );
    assert.equal(statSync(path.join(dir, 'checkpoints.journal')).size, 0, 'folded into meta.json at start');
    await h.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a torn last line is dropped; a deleted group's lines are ignored; commits during a compaction are kept", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-journal-'));
  try {
    let h = await hubIn(dir);
    await h.client.createProject({ project: P.project });
    await h.client.createLogStore({ ...P, shardCount: 2 });
    await h.client.putLogs({ ...P, logGroup: { logs: [{ time: 1, contents: [] }], logTags: [] } });
    await h.client.createConsumerGroup({ ...G, timeout: 60, order: false });
    await h.client.createConsumerGroup({ ...G, consumerGroup: 'gone', timeout: 60, order: false });
    const [[b0, e0], [b1, e1]] = await cursorsOf(h.client, 2);
    await h.client.updateCheckpoint({ ...G, shardId: 0, checkpoint: e0, forceSuccess: true });
    await h.client.updateCheckpoint({ ...G, consumerGroup: 'gone', shardId: 1, checkpoint: e1, forceSuccess: true });
    await h.close();
    // a crash mid-append: half a line after the acknowledged ones
    appendFileSync(path.join(dir, 'checkpoints.journal'), '{"s":99,"p":"journal","l":"src","g":"g","k":"1","c":"');
    h = await hubIn(dir);
    assert.deepEqual(
      (await h.client.getCheckpoint(G)).map((c) => [c.shard, c.checkpoint]),
      [
        [0, e0],
        [1, ''],
      ],
    );
    await h.client.deleteConsumerGroup({ ...G, consumerGroup: 'gone' });
    await h.close();

    // a bound of one byte: every batch of commits starts with a compaction
    const small = await startLogHub({ port: 0, dataDir: dir, ttlIntervalMs: 0, journalCompactBytes: 1 });
    const c = new LogClient({ endpoint: small.endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
    await c.createConsumerGroup({ ...G, consumerGroup: 'gone', timeout: 60, order: false });
    assert.deepEqual(
      (await c.getCheckpoint({ ...G, consumerGroup: 'gone' })).map((x) => x.checkpoint),
      ['', ''],
      "a group created again under a deleted one's name starts empty",
    );
    const commits = Array.from({ length: 40 }, (_, i) =>
      c.updateCheckpoint({ ...G, shardId: i % 2, checkpoint: i % 4 < 2 ? [b0, b1][i % 2] : [e0, e1][i % 2], forceSuccess: true }),
    );
    await Promise.all(commits);
    c.close();
    await small.close();
    h = await hubIn(dir);
    assert.deepEqual(
      (await h.client.getCheckpoint(G)).map((x) => x.checkpoint),
      [e0, e1],
      'the last of 40 commits made while compactions ran',
    );
    await h.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
