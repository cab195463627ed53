// SPL consumption is not implemented in the embedded LogHub: a PullLogs with `query` (SPL,
// pullMode=scan_on_stream) or `processor` is refused naming the parameter, instead of answering
// every row as if the SPL had kept them all (a wrong answer the user could not see).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { authorizationV1 } from '../../src/codec/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { randomName, startTestHub } from '../helpers/hub.js';

/** A signed PullLogs sent by hand, so it can carry what LogClient does not send. */
function rawPull(endpoint: string, now: Date, project: string, query: Array<[string, string]>): Promise<{ status: number; body: any }> {
  const url = new URL(endpoint);
  const path = '/logstores/src/shards/0';
  const headers: Record<string, string> = {
    date: now.toUTCString(),
    host: `${project}.${url.host}`,
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha1',
  };
  headers.authorization = authorizationV1({ method: 'GET', path, query, headers }, DEFAULT_ACCESS_KEY);
  const search = new URLSearchParams(query).toString();
  return new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path: `${path}?${search}`, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        // an error is JSON; a page of logs is protobuf
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, body: status === 200 ? undefined : JSON.parse(Buffer.concat(chunks).toString()) });
        });
      })
      .on('error', reject);
  });
}

test('a PullLogs through SPL (query or processor) is refused, naming the parameter; without it the pull answers', async () => {
  const t = await startTestHub('memory');
  try {
    const project = randomName('spl');
    await t.client.createProject({ project });
    await t.client.createLogStore({ project, logstore: 'src', shardCount: 1 });
    await t.client.putLogs({
      project,
      logstore: 'src',
      logGroup: { logs: [{ time: 1, contents: [{ key: 'status', value: '500' }] }], logTags: [] },
    });
    const cursor = await t.client.getCursor({ project, logstore: 'src', shardId: 0, from: 'begin' });
    const now = new Date(t.clock.now());
    const base: Array<[string, string]> = [
      ['type', 'log'],
      ['cursor', cursor],
      ['count', '10'],
    ];
    const spl = await rawPull(t.hub.endpoint, now, project, [
      ...base,
      ['query', "* | where status = '500'"],
      ['pullMode', 'scan_on_stream'],
    ]);
    assert.equal(spl.status, 400);
    assert.equal(spl.body.errorCode, 'ParameterInvalid');
    assert.match(spl.body.errorMessage, /^query \(SPL consumption\) is not supported by the embedded LogHub yet/);
    const processor = await rawPull(t.hub.endpoint, now, project, [...base, ['processor', 'my-processor']]);
    assert.match(processor.body.errorMessage, /^processor \(SPL consumption\)/);
    assert.equal((await rawPull(t.hub.endpoint, now, project, base)).status, 200);
  } finally {
    await t.close();
  }
});
