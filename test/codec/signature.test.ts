// Our v1 signer must produce exactly the Authorization the official @alicloud/log SDK sends, and our
// verifier must accept what @alicloud/sls20201230 sends (v1 with hmac-sha256, and v4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from '../helpers/fastCheck.js';
import {
  authorizationV1,
  canonicalResourceV1,
  parseAuthorization,
  parseRequestTarget,
  verifyV1,
  verifyV4,
  type SignableRequest,
} from '../../src/codec/index.js';
import { installLoopbackDns } from '../helpers/loopbackDns.js';
import { startRecorder, type Recorded } from '../helpers/recorder.js';

const require = createRequire(import.meta.url);
const AK = { accessKeyId: 'LTAI-test-id', accessKeySecret: 's3cr3t/with+chars=' };

function toSignable(r: Recorded): SignableRequest {
  const { path, query } = parseRequestTarget(r.url);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') headers[k] = v;
  return { method: r.method, path, query, headers };
}

let restoreDns: () => void;
let rec: Awaited<ReturnType<typeof startRecorder>>;
before(async () => {
  restoreDns = installLoopbackDns();
  rec = await startRecorder((r) =>
    r.method === 'GET' && r.url.startsWith('/logstores?')
      ? { headers: { 'content-type': 'application/json' }, body: '{"count":0,"total":0,"logstores":[]}' }
      : {},
  );
});
after(async () => {
  restoreDns();
  await rec.close();
});

test('v1 Authorization equals @alicloud/log for every request it sends', async () => {
  const Client = require('@alicloud/log');
  const sts = new Client({ ...AK, securityToken: 'sts-token-value', endpoint: `http://127.0.0.1:${rec.port}` });
  const plain = new Client({ ...AK, endpoint: `http://127.0.0.1:${rec.port}` });
  const start = rec.requests.length;
  await plain.createProject('proj-a', { description: 'd' });
  await plain.createLogStore('proj-a', 'ls1', { ttl: 7, shardCount: 2 });
  await plain.listLogStore('proj-a', {});
  await sts.getLogStore('proj-a', 'ls1');
  await sts.postLogStoreLogs('proj-a', 'ls1', { logs: [{ timestamp: 1700000000, content: { a: 'b' } }], tags: [{ t: 'v' }], topic: 'tp' });
  const seen = rec.requests.slice(start);
  assert.equal(seen.length, 5);
  for (const r of seen) {
    const ours = authorizationV1(toSignable(r), AK);
    assert.equal(ours, r.headers['authorization'], `${r.method} ${r.url}`);
  }
  // the blank-valued query the spec recorded, and STS signed through x-acs-security-token
  assert.match(seen[2].url, /logstoreName=&offset=&size=/);
  assert.equal(seen[3].headers['x-acs-security-token'], 'sts-token-value');
});

test('verifier accepts @alicloud/sls20201230 (v1 hmac-sha256 and v4) and rejects a wrong secret', async () => {
  const Sls = require('@alicloud/sls20201230').default;
  const { $OpenApiUtil } = require('@alicloud/openapi-core');
  for (const signatureVersion of ['v1', 'v4']) {
    const client = new Sls(
      new $OpenApiUtil.Config({ ...AK, endpoint: `127.0.0.1:${rec.port}`, protocol: 'http', regionId: 'cn-hangzhou', signatureVersion }),
    );
    const start = rec.requests.length;
    await client.getLogStore('proj-b', 'ls2').catch(() => undefined);
    const r = rec.requests[start];
    assert.ok(r, 'request recorded');
    const req = toSignable(r);
    const auth = parseAuthorization(r.headers['authorization']);
    assert.ok(auth, `parsable Authorization: ${r.headers['authorization']}`);
    // The version the SDK was configured with is the one it sent: both verifiers are proven to run.
    assert.equal(auth.version, signatureVersion === 'v4' ? 4 : 1, `${signatureVersion}: ${r.headers['authorization']}`);
    if (auth.version === 1) {
      assert.equal(r.headers['x-log-signaturemethod'], 'hmac-sha256');
      assert.equal(verifyV1(req, AK.accessKeySecret, auth.signature), true);
      assert.equal(verifyV1(req, 'wrong', auth.signature), false);
    } else {
      assert.equal(verifyV4(req, AK.accessKeySecret, auth), true);
      assert.equal(verifyV4(req, 'wrong', auth), false);
    }
  }
});

test('the Python SDK layout: x-log-date sent unsigned still verifies', () => {
  const req: SignableRequest = {
    method: 'GET',
    path: '/logstores/ls/shards/0',
    query: [
      ['type', 'cursor'],
      ['from', 'begin'],
    ],
    headers: {
      date: 'Mon, 02 Jan 2026 15:04:05 GMT',
      'x-log-apiversion': '0.6.0',
      'x-log-signaturemethod': 'hmac-sha1',
      'x-log-bodyrawsize': '0',
    },
  };
  const sig = authorizationV1(req, AK).split(':')[1];
  const withDate = { ...req, headers: { ...req.headers, 'x-log-date': req.headers['date'] } };
  assert.equal(verifyV1(withDate, AK.accessKeySecret, sig), true);
});

test('canonical resource: query pairs sorted by key (stable) or as "k=v" strings, as the SDKs spell it', () => {
  const key = fc.constantFrom('a', 'b', 'from', 'type', 'offset', 'line', 'A', 'a_');
  const query = fc.array(fc.tuple(key, fc.option(fc.string({ maxLength: 4 }), { nil: undefined })), { maxLength: 8 });
  fc.assert(
    fc.property(query, fc.boolean(), (q, asStrings) => {
      const text = (p: readonly [string, string | undefined]) => `${p[0]}=${p[1] ?? ''}`;
      const pairs = asStrings ? q.map(text).sort() : [...q].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map(text);
      assert.equal(canonicalResourceV1('/p', q, asStrings), q.length === 0 ? '/p' : `/p?${pairs.join('&')}`);
    }),
  );
});
