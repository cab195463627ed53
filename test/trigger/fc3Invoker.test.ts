// The FC 3.0 target: @alicloud/fc20230330 against a loopback server that checks what FC 3.0 checks
// (path, qualifier query, invocation headers, the ACS3-HMAC-SHA256 signature) and answers as FC does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fc3Invoker } from '../../src/trigger/invokers/fc3.js';
import { checkV3Signature, startFc3Server } from '../helpers/fc3Server.js';
import type { FcReply } from '../helpers/fcServer.js';

const creds = { accessKeyId: 'fc3-ak', accessKeySecret: 'fc3-secret' };
const req = { event: Buffer.from('{"source":{"shardId":0}}'), requestId: 'local-1', timeoutMs: 5000, credentials: creds };

test('FC 3.0: signed ACS3-HMAC-SHA256, qualifier as a query, Sync + Tail; function errors counted, throttling and 5xx not', async () => {
  let next: FcReply = { ok: { ingestLines: 3 }, logs: ['line one', 'line two'] };
  const fc = await startFc3Server({ 'fc3-ak': 'fc3-secret' }, () => next);
  const inv = new Fc3Invoker({
    accountId: '123',
    region: 'cn-hangzhou',
    functionName: 'etl fn',
    qualifier: 'prod',
    endpoint: fc.endpoint,
    credentials: creds,
  });
  try {
    const ok = await inv.invoke(req);
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.deepEqual(JSON.parse(ok.body.toString()), { ingestLines: 3 });
    assert.deepEqual(ok.logs, ['line one', 'line two']);
    assert.equal(ok.requestId, 'fc3-req-1');
    const call = fc.calls[0];
    assert.deepEqual([call.functionName, call.qualifier], ['etl fn', 'prod']);
    assert.equal(call.url.pathname, '/2023-03-30/functions/etl%20fn/invocations');
    assert.deepEqual([call.headers['x-fc-invocation-type'], call.headers['x-fc-log-type']], ['Sync', 'Tail']);
    assert.deepEqual(call.event, req.event, 'the event bytes unchanged');
    // the checker is not a rubber stamp: any signed part changed breaks it
    const secrets = { 'fc3-ak': 'fc3-secret' };
    const url = (q: string) => new URL(`${call.url.pathname}?qualifier=${q}`, 'http://x');
    assert.equal(checkV3Signature('POST', url('prod'), call.headers, call.event, secrets, Date.now()), undefined);
    assert.match(String(checkV3Signature('POST', url('dev'), call.headers, call.event, secrets, Date.now())), /signature does not match/);
    assert.match(String(checkV3Signature('POST', url('prod'), call.headers, Buffer.from('{}'), secrets, Date.now())), /body hash/);
    assert.match(
      String(
        checkV3Signature(
          'POST',
          url('prod'),
          { ...call.headers, 'x-fc-log-type': 'None', host: 'other:1' },
          call.event,
          secrets,
          Date.now(),
        ),
      ),
      /signature does not match/,
    );

    next = { handled: 'bad record' };
    const h = await inv.invoke(req);
    assert.ok(!h.ok && h.kind === 'function' && h.errorType === 'HandledInvocationError' && h.error.errorMessage === 'bad record');
    next = { unhandled: 'boom' };
    const u = await inv.invoke(req);
    assert.ok(!u.ok && u.kind === 'function' && u.errorType === 'UnhandledInvocationError' && u.error.errorMessage === 'boom');
    assert.deepEqual(!u.ok && u.kind === 'function' && u.logs, ['Error: boom']);
    for (const [status, code] of [
      [429, 'ResourceThrottled'],
      [503, 'ServiceUnavailable'],
    ] as const) {
      next = { status, code };
      const t = await inv.invoke(req);
      assert.ok(!t.ok && t.kind === 'transport', `${status} is not the function failing`);
    }
    next = { status: 404, code: 'FunctionNotFound' };
    const nf = await inv.invoke(req);
    assert.ok(
      !nf.ok && nf.kind === 'function' && /FunctionNotFound/.test(nf.error.errorMessage),
      'a missing function counts against the task',
    );
  } finally {
    await fc.close();
  }
});

test('FC 3.0: a wrong secret is refused by the signature check; an unreachable endpoint is a transport error', async () => {
  const fc = await startFc3Server({ 'fc3-ak': 'fc3-secret' }, () => ({ ok: 'x' }));
  try {
    const bad = new Fc3Invoker({
      accountId: '1',
      region: 'cn-hangzhou',
      functionName: 'f',
      endpoint: fc.endpoint,
      credentials: { ...creds, accessKeySecret: 'nope' },
    });
    const out = await bad.invoke(req);
    assert.ok(
      !out.ok && out.kind === 'function' && /SignatureNotMatch|signature does not match/.test(out.error.errorMessage),
      JSON.stringify(out),
    );
    assert.equal(fc.calls.length, 0);
    const sts = new Fc3Invoker({
      accountId: '1',
      region: 'cn-hangzhou',
      functionName: 'f',
      endpoint: fc.endpoint,
      credentials: { ...creds, securityToken: 'sts-token' },
    });
    const ok = await sts.invoke(req);
    assert.ok(ok.ok, 'an STS token is sent and signed');
    assert.equal(fc.calls[0].headers['x-acs-security-token'], 'sts-token');
  } finally {
    await fc.close();
  }
  const gone = new Fc3Invoker({
    accountId: '1',
    region: 'cn-hangzhou',
    functionName: 'f',
    endpoint: fc.endpoint,
    credentials: creds,
    timeoutMs: 2000,
  });
  const out = await gone.invoke(req);
  assert.ok(!out.ok && out.kind === 'transport', JSON.stringify(out));
});
