// CreateLogStore/UpdateLogStore accept every default the official clients send: the
// exact bodies of the Go SDK (and Terraform through it), the Java SDK and the Python SDK, sent as
// signed raw requests; GetLogStore returns what was stored. docs/protocol-notes.md has the table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { jsonBody, noContent, type SlsRequest } from '../../src/client/request.js';
import { randomName, startTestHub } from '../helpers/hub.js';

let t: Awaited<ReturnType<typeof startTestHub>>;
const P = randomName('defaults');
before(async () => {
  t = await startTestHub('memory');
  await t.client.createProject({ project: P });
});
after(() => t.close());

function raw(method: 'POST' | 'PUT', path: string, body: unknown): SlsRequest<void> {
  return { action: 'Raw', method, project: P, path, ...jsonBody(body), decode: noContent };
}
const create = (body: Record<string, unknown>) => t.client.send(raw('POST', '/logstores', body));
const update = (name: string, body: Record<string, unknown>) => t.client.send(raw('PUT', `/logstores/${name}`, body));
const stored = (name: string) => t.client.getLogStore({ project: P, logstore: name });

test('Go SDK CreateLogStore(p, name, 1, 1, false, 0), as Terraform sends it', async () => {
  await create({ logstoreName: 'go-sdk', ttl: 1, shardCount: 1, autoSplit: false, maxSplitShard: 0, enable_tracking: false });
  const ls = await stored('go-sdk');
  assert.deepEqual([ls.ttl, ls.shardCount, ls.autoSplit, ls.maxSplitShard, ls.enable_tracking], [1, 1, false, 0, false]);
});

test('Go SDK CreateLogStoreV2 with the LogStore struct as Terraform alicloud_log_store fills it', async () => {
  await create({
    logstoreName: 'terraform',
    ttl: 30,
    shardCount: 2,
    enable_tracking: false,
    autoSplit: false,
    maxSplitShard: 0,
    appendMeta: true,
    telemetryType: '',
    mode: 'standard',
  });
  const ls = await stored('terraform');
  assert.deepEqual([ls.ttl, ls.shardCount, ls.appendMeta, ls.maxSplitShard, ls.mode, ls.telemetryType], [30, 2, true, 0, 'standard', '']);
});

test('Java SDK new LogStore(name, 7, 2): maxSplitShard -1 and the extra fields it always sends', async () => {
  await create({
    logstoreName: 'java-sdk',
    ttl: 7,
    shardCount: 2,
    enable_tracking: false,
    autoSplit: false,
    maxSplitShard: -1,
    appendMeta: false,
    resourceQuota: { storage: { preserved: -1 } },
    archiveSeconds: 0,
    telemetryType: '',
  });
  const ls = await stored('java-sdk');
  assert.deepEqual([ls.ttl, ls.shardCount, ls.autoSplit, ls.maxSplitShard, ls.mode], [7, 2, false, -1, 'standard']);
  // Java's UpdateLogStore sends the whole object again; shardCount there is ignored, as on SLS.
  await update('java-sdk', {
    logstoreName: 'java-sdk',
    ttl: 30,
    shardCount: 3,
    enable_tracking: false,
    autoSplit: false,
    maxSplitShard: -1,
    appendMeta: true,
    resourceQuota: { storage: { preserved: -1 } },
    archiveSeconds: 0,
    telemetryType: '',
  });
  const after = await stored('java-sdk');
  assert.deepEqual([after.ttl, after.shardCount, after.appendMeta, after.maxSplitShard], [30, 2, true, -1]);
});

test('Python SDK create_logstore defaults (auto split on, 64) and hot_ttl, mode query', async () => {
  await create({
    logstoreName: 'python-sdk',
    ttl: 30,
    shardCount: 2,
    enable_tracking: false,
    autoSplit: true,
    maxSplitShard: 64,
    appendMeta: false,
    telemetryType: '',
  });
  assert.deepEqual([(await stored('python-sdk')).autoSplit, (await stored('python-sdk')).maxSplitShard], [true, 64]);
  await create({
    logstoreName: 'python-query',
    ttl: 30,
    shardCount: 2,
    autoSplit: true,
    maxSplitShard: 64,
    mode: 'query',
    hot_ttl: 7,
    infrequentAccessTTL: -1,
  });
  const q = await stored('python-query');
  assert.deepEqual([q.mode, q.hot_ttl], ['query', 7]);
});

test('what SLS refuses is refused with its code: maxSplitShard out of range with auto split, a mode change', async () => {
  for (const maxSplitShard of [0, -1, 1000]) {
    await assert.rejects(
      create({
        logstoreName: `bad-split-${maxSplitShard < 0 ? 'neg' : maxSplitShard}`,
        ttl: 7,
        shardCount: 2,
        autoSplit: true,
        maxSplitShard,
      }),
      (e: Error & { code?: string; httpStatus?: number }) => {
        assert.deepEqual([e.code, e.httpStatus, e.message], ['LogStoreInfoInvalid', 400, 'maxSplitShard must be within range [1, 256]']);
        return true;
      },
    );
  }
  await assert.rejects(
    update('java-sdk', { logstoreName: 'java-sdk', ttl: 30, mode: 'lite' }),
    (e: Error & { code?: string; httpStatus?: number }) => e.code === 'NotSupported' && e.httpStatus === 400,
  );
  await assert.rejects(
    update('java-sdk', { logstoreName: 'java-sdk', autoSplit: true, maxSplitShard: 0 }),
    /maxSplitShard must be within range/,
  );
});

test('a manual SplitShard is not bounded by maxSplitShard (it bounds automatic splits)', async () => {
  const [, left] = await t.client.splitShard({ project: P, logstore: 'go-sdk', shardId: 0, splitKey: '80000000000000000000000000000000' });
  assert.equal(left.status, 'readwrite');
});
