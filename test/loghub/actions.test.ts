// Every LogHub action through our LogClient against a real server on port 0, on both stores.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addToCursor, CompressType, decodeCursor, HASH_KEY_MAX, type LogGroup } from '../../src/codec/index.js';
import { SlsServiceError } from '../../src/errors/index.js';
import { randomName, startTestHub, STORE_KINDS, type StoreKind } from '../helpers/hub.js';

const group = (n: number, tag = 'x'): LogGroup => ({
  logs: Array.from({ length: n }, (_, i) => ({ time: 1_700_000_000 + i, contents: [{ key: 'i', value: `${tag}-${i}` }] })),
  topic: 'tp',
  source: 'src',
  logTags: [{ key: 't', value: tag }],
});

async function rejectsCode(p: Promise<unknown>, code: string, status?: number) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SlsServiceError, `expected SlsServiceError, got ${e}`);
    assert.equal(e.code, code);
    if (status !== undefined) assert.equal(e.httpStatus, status);
    assert.match(e.requestId ?? '', /^[0-9A-F]{24}$/);
    return true;
  });
}

for (const kind of STORE_KINDS) {
  describe(`LogHub actions (${kind} store)`, () => {
    let t: Awaited<ReturnType<typeof startTestHub>>;
    const project = randomName('proj');
    before(async () => {
      // tiny segments: reads span several segment files and TTL can drop whole ones
      t = await startTestHub(kind as StoreKind, { segmentBytes: 200 });
      await t.client.createProject({ project, description: 'test' });
    });
    after(() => t.close());

    test('projects: create, get, list, duplicate, missing, bad name', async () => {
      const p = await t.client.getProject({ project });
      assert.equal(p.projectName, project);
      assert.equal(p.description, 'test');
      const list = await t.client.listProject({});
      assert.ok(list.projects.some((x) => x.projectName === project));
      await rejectsCode(t.client.createProject({ project }), 'ProjectAlreadyExist', 400);
      await rejectsCode(t.client.getProject({ project: 'no-such-project' }), 'ProjectNotExist', 404);
      await rejectsCode(t.client.createProject({ project: '../etc' }), 'ProjectInfoInvalid', 400);
      const other = randomName('gone');
      await t.client.createProject({ project: other });
      await t.client.deleteProject({ project: other });
      await rejectsCode(t.client.getProject({ project: other }), 'ProjectNotExist');
    });

    test('logstores: create with ttl and shards, get, update, list, delete', async () => {
      await t.client.createLogStore({ project, logstore: 'ls-meta', ttl: 7, shardCount: 3 });
      const ls = await t.client.getLogStore({ project, logstore: 'ls-meta' });
      assert.equal(ls.ttl, 7);
      assert.equal(ls.shardCount, 3);
      await t.client.updateLogStore({ project, logstore: 'ls-meta', ttl: 9 });
      assert.equal((await t.client.getLogStore({ project, logstore: 'ls-meta' })).ttl, 9);
      assert.ok((await t.client.listLogStores({ project })).logstores.includes('ls-meta'));
      await rejectsCode(t.client.createLogStore({ project, logstore: 'ls-meta' }), 'LogStoreAlreadyExist', 400);
      await rejectsCode(t.client.createLogStore({ project, logstore: 'a/../b' }), 'LogStoreInfoInvalid', 400);
      await t.client.deleteLogStore({ project, logstore: 'ls-meta' });
      await rejectsCode(t.client.getLogStore({ project, logstore: 'ls-meta' }), 'LogStoreNotExist', 404);
    });

    test('put and pull: exact groups back, cursors step one per group, all compressions', async () => {
      await t.client.createLogStore({ project, logstore: 'ls-data', shardCount: 2 });
      const shards = await t.client.listShards({ project, logstore: 'ls-data' });
      assert.deepEqual(
        shards.map((s) => [s.shardID, s.status]),
        [
          [0, 'readwrite'],
          [1, 'readwrite'],
        ],
      );
      assert.equal(shards[0].inclusiveBeginKey, '00000000000000000000000000000000');
      assert.equal(shards[1].exclusiveEndKey, HASH_KEY_MAX);
      const sent = [group(3, 'a'), group(1, 'b'), group(5, 'c')];
      const types = [CompressType.Lz4, CompressType.Deflate, CompressType.None];
      for (let i = 0; i < sent.length; i++) {
        await t.client.putLogs({
          project,
          logstore: 'ls-data',
          logGroup: sent[i],
          hashKey: '00000000000000000000000000000001',
          compressType: types[i],
        });
      }
      const begin = await t.client.getCursor({ project, logstore: 'ls-data', shardId: 0, from: 'begin' });
      const end = await t.client.getCursor({ project, logstore: 'ls-data', shardId: 0, from: 'end' });
      assert.equal(decodeCursor(end) - decodeCursor(begin), 3n);
      for (const enc of [CompressType.Lz4, CompressType.Deflate, CompressType.None]) {
        const r = await t.client.pullLogs({ project, logstore: 'ls-data', shardId: 0, cursor: begin, count: 10, acceptEncoding: enc });
        assert.equal(r.count, 3);
        assert.equal(r.nextCursor, end);
        assert.deepEqual(
          r.groups.map((g) => g.toLogGroup()),
          sent,
        );
        assert.equal(r.readLastCursor, (decodeCursor(end) - 1n).toString());
      }
      const page = await t.client.pullLogs({ project, logstore: 'ls-data', shardId: 0, cursor: begin, count: 2 });
      assert.equal(page.count, 2);
      assert.equal(page.nextCursor, addToCursor(begin, 2));
      const bounded = await t.client.pullLogs({
        project,
        logstore: 'ls-data',
        shardId: 0,
        cursor: begin,
        endCursor: addToCursor(begin, 1),
      });
      assert.equal(bounded.count, 1);
      const empty = await t.client.pullLogs({ project, logstore: 'ls-data', shardId: 0, cursor: end });
      assert.equal(empty.count, 0);
      assert.equal(empty.nextCursor, end);
      const other = await t.client.pullLogs({
        project,
        logstore: 'ls-data',
        shardId: 1,
        cursor: await t.client.getCursor({ project, logstore: 'ls-data', shardId: 1, from: 'begin' }),
      });
      assert.equal(other.count, 0);
    });

    test('load-balanced writes spread over readwrite shards', async () => {
      await t.client.createLogStore({ project, logstore: 'ls-lb', shardCount: 2 });
      for (let i = 0; i < 4; i++) await t.client.putLogs({ project, logstore: 'ls-lb', logGroup: group(1) });
      for (const shardId of [0, 1]) {
        const b = await t.client.getCursor({ project, logstore: 'ls-lb', shardId, from: 'begin' });
        const e = await t.client.getCursor({ project, logstore: 'ls-lb', shardId, from: 'end' });
        assert.equal(decodeCursor(e) - decodeCursor(b), 2n);
      }
    });

    test('cursor by time and cursor time use receive time', async () => {
      await t.client.createLogStore({ project, logstore: 'ls-time', shardCount: 1 });
      const t0 = Math.floor(t.clock.ms / 1000);
      await t.client.putLogs({ project, logstore: 'ls-time', logGroup: group(1, 'early') });
      t.clock.advance(10_000);
      await t.client.putLogs({ project, logstore: 'ls-time', logGroup: group(1, 'late') });
      const c = await t.client.getCursor({ project, logstore: 'ls-time', shardId: 0, from: t0 + 5 });
      const r = await t.client.pullLogs({ project, logstore: 'ls-time', shardId: 0, cursor: c });
      assert.equal(r.groups[0].logTags[0].value, 'late');
      assert.equal(await t.client.getCursorTime({ project, logstore: 'ls-time', shardId: 0, cursor: c }), t0 + 10);
      assert.equal(
        await t.client.getCursor({ project, logstore: 'ls-time', shardId: 0, from: 0 }),
        await t.client.getCursor({ project, logstore: 'ls-time', shardId: 0, from: 'begin' }),
      );
      assert.equal(
        await t.client.getCursor({ project, logstore: 'ls-time', shardId: 0, from: t0 + 1000 }),
        await t.client.getCursor({ project, logstore: 'ls-time', shardId: 0, from: 'end' }),
      );
    });

    test('bad cursors, shards and parameters get SLS codes', async () => {
      await t.client.createLogStore({ project, logstore: 'ls-bad', shardCount: 1 });
      const end = await t.client.getCursor({ project, logstore: 'ls-bad', shardId: 0, from: 'end' });
      await rejectsCode(t.client.pullLogs({ project, logstore: 'ls-bad', shardId: 0, cursor: 'garbage!' }), 'ParameterInvalid', 400);
      await rejectsCode(t.client.pullLogs({ project, logstore: 'ls-bad', shardId: 0, cursor: addToCursor(end, 5) }), 'InvalidCursor');
      await rejectsCode(t.client.pullLogs({ project, logstore: 'ls-bad', shardId: 9999, cursor: end }), 'ShardNotExist');
      await rejectsCode(t.client.listShards({ project, logstore: 'nope' }), 'LogStoreNotExist', 404);
      await rejectsCode(
        t.client.putLogs({ project, logstore: 'ls-bad', logGroup: Buffer.from([0x0a, 0x05, 0x01]), compressType: CompressType.None }),
        'PostBodyInvalid',
      );
    });

    test('split: parent readonly and drained to its final cursor, children cover its range', async () => {
      await t.client.createLogStore({ project, logstore: 'ls-split', shardCount: 1 });
      await t.client.putLogs({ project, logstore: 'ls-split', logGroup: group(2, 'before') });
      const res = await t.client.splitShard({ project, logstore: 'ls-split', shardId: 0, splitKey: '80000000000000000000000000000000' });
      assert.deepEqual(
        res.map((s) => [s.shardID, s.status]),
        [
          [0, 'readonly'],
          [1, 'readwrite'],
          [2, 'readwrite'],
        ],
      );
      assert.equal(res[1].exclusiveEndKey, '80000000000000000000000000000000');
      assert.equal(res[2].inclusiveBeginKey, '80000000000000000000000000000000');
      await t.client.putLogs({ project, logstore: 'ls-split', logGroup: group(1, 'after'), hashKey: '90000000000000000000000000000000' });
      const b0 = await t.client.getCursor({ project, logstore: 'ls-split', shardId: 0, from: 'begin' });
      const r0 = await t.client.pullLogs({ project, logstore: 'ls-split', shardId: 0, cursor: b0 });
      assert.equal(r0.count, 1);
      const b2 = await t.client.getCursor({ project, logstore: 'ls-split', shardId: 2, from: 'begin' });
      assert.equal(
        (await t.client.pullLogs({ project, logstore: 'ls-split', shardId: 2, cursor: b2 })).groups[0].logTags[0].value,
        'after',
      );
      await rejectsCode(
        t.client.splitShard({ project, logstore: 'ls-split', shardId: 0, splitKey: '40000000000000000000000000000000' }),
        'ShardReadOnly',
      );
      const merged = await t.client.mergeShards({ project, logstore: 'ls-split', shardId: 1 });
      assert.deepEqual(
        merged.map((s) => [s.shardID, s.status]),
        [
          [3, 'readwrite'],
          [1, 'readonly'],
          [2, 'readonly'],
        ],
      );
      assert.equal(merged[0].inclusiveBeginKey, '00000000000000000000000000000000');
      assert.equal(merged[0].exclusiveEndKey, HASH_KEY_MAX);
      assert.equal((await t.client.listShards({ project, logstore: 'ls-split' })).length, 4);
    });

    test('consumer groups: create, list, update, quota, checkpoints with empty entries', async () => {
      await t.client.createLogStore({ project, logstore: 'ls-cg', shardCount: 2 });
      await t.client.createConsumerGroup({ project, logstore: 'ls-cg', consumerGroup: 'g1', timeout: 30, order: true });
      await rejectsCode(
        t.client.createConsumerGroup({ project, logstore: 'ls-cg', consumerGroup: 'g1', timeout: 30, order: true }),
        'ConsumerGroupAlreadyExist',
      );
      await t.client.updateConsumerGroup({ project, logstore: 'ls-cg', consumerGroup: 'g1', timeout: 40 });
      assert.deepEqual(await t.client.listConsumerGroup({ project, logstore: 'ls-cg' }), [{ name: 'g1', timeout: 40, order: true }]);
      const cps = await t.client.getCheckpoint({ project, logstore: 'ls-cg', consumerGroup: 'g1' });
      assert.deepEqual(
        cps.map((c) => [c.shard, c.checkpoint]),
        [
          [0, ''],
          [1, ''],
        ],
      );
      assert.deepEqual(await t.client.heartbeat({ project, logstore: 'ls-cg', consumerGroup: 'g1', consumer: 'c1', shards: [] }), [0, 1]);
      const cur = await t.client.getCursor({ project, logstore: 'ls-cg', shardId: 1, from: 'end' });
      await t.client.updateCheckpoint({ project, logstore: 'ls-cg', consumerGroup: 'g1', consumer: 'c1', shardId: 1, checkpoint: cur });
      await rejectsCode(
        t.client.updateCheckpoint({ project, logstore: 'ls-cg', consumerGroup: 'g1', consumer: 'c2', shardId: 1, checkpoint: cur }),
        'ConsumerNotExist',
      );
      await t.client.updateCheckpoint({
        project,
        logstore: 'ls-cg',
        consumerGroup: 'g1',
        consumer: 'tool',
        shardId: 0,
        checkpoint: cur.length ? await t.client.getCursor({ project, logstore: 'ls-cg', shardId: 0, from: 'begin' }) : cur,
        forceSuccess: true,
      });
      const one = await t.client.getCheckpoint({ project, logstore: 'ls-cg', consumerGroup: 'g1', shardId: 1 });
      assert.equal(one.length, 1);
      assert.equal(one[0].checkpoint, cur);
      assert.equal(one[0].consumer, 'c1');
      assert.equal(one[0].updateTime, t.clock.ms * 1000);
      for (let i = 2; i <= 30; i++)
        await t.client.createConsumerGroup({ project, logstore: 'ls-cg', consumerGroup: `g${i}`, timeout: 30, order: false });
      await rejectsCode(
        t.client.createConsumerGroup({ project, logstore: 'ls-cg', consumerGroup: 'g31', timeout: 30, order: false }),
        'ConsumerGroupQuotaExceed',
      );
      await t.client.deleteConsumerGroup({ project, logstore: 'ls-cg', consumerGroup: 'g30' });
      await rejectsCode(t.client.getCheckpoint({ project, logstore: 'ls-cg', consumerGroup: 'g30' }), 'ConsumerGroupNotExist');
    });

    test('TTL: expired data is deleted and its cursors become InvalidCursor', async () => {
      await t.client.createLogStore({ project, logstore: 'ls-ttl', shardCount: 1, ttl: 1 });
      // big enough to fill a 200-byte segment (uncompressed, as lz4 bodies are stored as sent):
      // the file store expires whole segments only
      await t.client.putLogs({ project, logstore: 'ls-ttl', logGroup: group(12, 'old'), compressType: CompressType.None });
      const old = await t.client.getCursor({ project, logstore: 'ls-ttl', shardId: 0, from: 'begin' });
      t.clock.advance(2 * 86400_000);
      await t.client.putLogs({ project, logstore: 'ls-ttl', logGroup: group(1, 'new') });
      const { expireAll } = await import('../../src/loghub/index.js');
      await expireAll(t.hub.state);
      await rejectsCode(t.client.pullLogs({ project, logstore: 'ls-ttl', shardId: 0, cursor: old }), 'InvalidCursor');
      const begin = await t.client.getCursor({ project, logstore: 'ls-ttl', shardId: 0, from: 'begin' });
      const r = await t.client.pullLogs({ project, logstore: 'ls-ttl', shardId: 0, cursor: begin });
      assert.deepEqual(
        r.groups.map((g) => g.logTags[0].value),
        ['new'],
      );
    });
  });
}
