// The official Node SDKs from npm, unchanged, against the embedded LogHub: they set up data, write,
// read, and drive consumer groups; what they write our client reads, and the other way round.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { installLoopbackDns } from '../helpers/loopbackDns.js';
import { randomName, startTestHub } from '../helpers/hub.js';

const require = createRequire(import.meta.url);
const { accessKeyId, accessKeySecret } = DEFAULT_ACCESS_KEY;

describe('official SLS SDKs against the embedded LogHub', () => {
  let t: Awaited<ReturnType<typeof startTestHub>>;
  let restoreDns: () => void;
  before(async () => {
    restoreDns = installLoopbackDns();
    // the SDKs sign with the real clock
    t = await startTestHub('file', { now: Date.now, onRequest: (e) => process.env.HUBLOG && console.error(JSON.stringify(e)) });
  });
  after(async () => {
    restoreDns();
    await t.close();
  });

  test('@alicloud/log: project, logstore, PutLogs; our client reads exactly what it wrote', async () => {
    const Client = require('@alicloud/log');
    const sdk = new Client({ accessKeyId, accessKeySecret, endpoint: t.hub.endpoint });
    const project = randomName('alilog');
    await sdk.createProject(project, { description: 'from @alicloud/log' });
    assert.equal((await sdk.getProject(project)).projectName, project);
    await sdk.createLogStore(project, 'events', { ttl: 3, shardCount: 1 });
    assert.equal((await sdk.getLogStore(project, 'events')).ttl, 3);
    assert.deepEqual((await sdk.listLogStore(project, {})).logstores, ['events']);
    await sdk.postLogStoreLogs(project, 'events', {
      logs: [
        { timestamp: 1700000001, content: { msg: 'hello', n: '1' } },
        { timestamp: 1700000002, content: { msg: 'world', n: '2' }, timestampNsPart: 5 },
      ],
      tags: [{ env: 'test' }],
      topic: 'greeting',
      source: '10.0.0.1',
    });
    const begin = await t.client.getCursor({ project, logstore: 'events', shardId: 0, from: 'begin' });
    const r = await t.client.pullLogs({ project, logstore: 'events', shardId: 0, cursor: begin });
    assert.deepEqual(
      r.groups.map((g) => g.toLogGroup()),
      [
        {
          logs: [
            {
              time: 1700000001,
              contents: [
                { key: 'msg', value: 'hello' },
                { key: 'n', value: '1' },
              ],
            },
            {
              time: 1700000002,
              contents: [
                { key: 'msg', value: 'world' },
                { key: 'n', value: '2' },
              ],
              timeNs: 5,
            },
          ],
          logTags: [{ key: 'env', value: 'test' }],
          topic: 'greeting',
          source: '10.0.0.1',
        },
      ],
    );
    await assert.rejects(sdk.getLogStore(project, 'missing'), (e: { code?: string }) => e.code === 'LogStoreNotExist');
    const wrong = new Client({ accessKeyId, accessKeySecret: 'wrong', endpoint: t.hub.endpoint });
    await assert.rejects(wrong.getProject(project), (e: { code?: string }) => e.code === 'SignatureNotMatch');
    await sdk.deleteLogStore(project, 'events');
  });

  test('aliyun-sdk: PutLogs (deflate), GetCursor, BatchGetLogs; it reads what our client wrote', async () => {
    const ALY = require('aliyun-sdk');
    const sls = new ALY.SLS({
      accessKeyId,
      secretAccessKey: accessKeySecret,
      endpoint: 'http://localhost',
      apiVersion: '2015-06-01',
      httpOptions: { host: '127.0.0.1', port: t.hub.port, timeout: 5000 },
    });
    const call = (op: string, params: unknown) => promisify(sls[op].bind(sls))(params) as Promise<Record<string, unknown>>;
    const project = randomName('alysdk');
    await call('createProject', { projectDetail: { projectName: project, description: 'from aliyun-sdk' } });
    await call('createLogstore', { projectName: project, logstoreDetail: { logstoreName: 'web', ttl: 1, shardCount: 2 } });
    const listed = await call('listShards', { projectName: project, logStoreName: 'web' });
    // aliyun-sdk turns a JSON array body into an object keyed "0", "1", ...
    const shards = Object.values(listed.body as Record<string, { shardID: number }>);
    assert.deepEqual(
      shards.map((s) => s.shardID),
      [0, 1],
    );
    await call('putLogs', {
      projectName: project,
      logStoreName: 'web',
      logGroup: { logs: [{ time: 1700000003, contents: [{ key: 'path', value: '/a' }] }], topic: 'aly' },
    });
    await t.client.putLogs({
      project,
      logstore: 'web',
      logGroup: { logs: [{ time: 1700000004, contents: [{ key: 'path', value: '/b' }] }], logTags: [], topic: 'ours' },
    });
    const seen: string[] = [];
    for (const ShardId of [0, 1]) {
      const cur = await call('getCursor', { projectName: project, logStoreName: 'web', ShardId, FromTime: 0 });
      const data = await call('batchGetLogs', {
        projectName: project,
        logStoreName: 'web',
        ShardId,
        cursor: (cur.body as { cursor: string }).cursor,
        count: 10,
      });
      const list = (data.body as { logGroupList?: { topic: string; logs: { contents: { value: string }[] }[] }[] }).logGroupList ?? [];
      for (const g of list) seen.push(`${g.topic}:${g.logs[0].contents[0].value}`);
    }
    assert.deepEqual(seen.sort(), ['aly:/a', 'ours:/b']);
  });

  test('@alicloud/sls20201230: setup, cursors and a consumer group round trip', async () => {
    const Sls = require('@alicloud/sls20201230');
    const { $OpenApiUtil } = require('@alicloud/openapi-core');
    const sdk = new Sls.default(
      new $OpenApiUtil.Config({ accessKeyId, accessKeySecret, endpoint: `127.0.0.1:${t.hub.port}`, protocol: 'http', regionId: 'local' }),
    );
    const project = randomName('tea');
    await sdk.createProject(new Sls.CreateProjectRequest({ projectName: project, description: 'from sls20201230' }));
    await sdk.createLogStore(project, new Sls.CreateLogStoreRequest({ logstoreName: 'app', shardCount: 2, ttl: 1 }));
    const shards = (await sdk.listShards(project, 'app')).body as { shardID: number; status: string }[];
    assert.deepEqual(
      shards.map((s) => [s.shardID, s.status]),
      [
        [0, 'readwrite'],
        [1, 'readwrite'],
      ],
    );
    await t.client.putLogs({
      project,
      logstore: 'app',
      hashKey: '00000000000000000000000000000000',
      logGroup: { logs: [{ time: 1700000005, contents: [{ key: 'k', value: 'v' }] }], logTags: [] },
    });
    const cursor = (await sdk.getCursor(project, 'app', '0', new Sls.GetCursorRequest({ from: 'begin' }))).body.cursor as string;
    const end = (await sdk.getCursor(project, 'app', '0', new Sls.GetCursorRequest({ from: 'end' }))).body.cursor as string;
    assert.notEqual(cursor, end);
    // sls20201230 5.9.0's pullLogs never puts the project in the Host (no hostMap in
    // pullLogsWithOptions), so it cannot pull from any SLS; docs/loghub.md lists it.
    const pulled = await t.client.pullLogs({ project, logstore: 'app', shardId: 0, cursor });
    assert.equal(pulled.nextCursor, end);
    await sdk.createConsumerGroup(project, 'app', new Sls.CreateConsumerGroupRequest({ consumerGroup: 'cg', timeout: 20, order: false }));
    const hb = await sdk.consumerGroupHeartBeat(project, 'app', 'cg', new Sls.ConsumerGroupHeartBeatRequest({ consumer: 'w1', body: [] }));
    assert.deepEqual(hb.body, [0, 1]);
    await sdk.consumerGroupUpdateCheckPoint(
      project,
      'app',
      'cg',
      new Sls.ConsumerGroupUpdateCheckPointRequest({ consumer: 'w1', shard: 0, checkpoint: end, forceSuccess: false }),
    );
    const cps = await t.client.getCheckpoint({ project, logstore: 'app', consumerGroup: 'cg', shardId: 0 });
    assert.equal(cps[0].checkpoint, end);
    assert.equal(cps[0].consumer, 'w1');
    const listed = (await sdk.listConsumerGroup(project, 'app')).body as { name: string }[];
    assert.deepEqual(
      listed.map((g) => g.name),
      ['cg'],
    );
  });
});
