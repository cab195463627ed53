import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FcInvoker } from '../../src/trigger/invokers/fc2.js';
import { startFcServer, type FcReply } from '../helpers/fcServer.js';

const creds = { accessKeyId: 'fc-ak', accessKeySecret: 'fc-secret' };
const req = { event: Buffer.from('{"source":{}}'), requestId: 'local-1', timeoutMs: 5000, credentials: creds };

test('invokes through @alicloud/fc2 with a valid FC signature; tells function errors from transport errors', async () => {
  let next: FcReply = { ok: { ingestLines: 3 }, logs: ['line one', 'line two'] };
  const fc = await startFcServer({ 'fc-ak': 'fc-secret' }, () => next);
  const inv = new FcInvoker({
    accountId: '123',
    region: 'cn-hangzhou',
    serviceName: 'svc',
    functionName: 'etl',
    qualifier: 'prod',
    endpoint: fc.endpoint,
    credentials: creds,
  });
  try {
    const ok = await inv.invoke(req);
    assert.ok(ok.ok);
    assert.deepEqual(JSON.parse(ok.body.toString()), { ingestLines: 3 });
    assert.deepEqual(ok.logs, ['line one', 'line two']);
    assert.equal(ok.requestId, 'fc-req-1');
    assert.equal(fc.calls[0].path, '/2016-08-15/services/svc.prod/functions/etl/invocations');
    assert.equal(fc.calls[0].headers['x-fc-invocation-type'], 'Sync');
    assert.deepEqual(fc.calls[0].event, req.event);

    next = { handled: 'bad record' };
    const h = await inv.invoke(req);
    assert.ok(!h.ok && h.kind === 'function' && h.errorType === 'HandledInvocationError' && h.error.errorMessage === 'bad record');
    next = { unhandled: 'boom' };
    const u = await inv.invoke(req);
    assert.ok(!u.ok && u.kind === 'function' && u.errorType === 'UnhandledInvocationError' && u.error.errorMessage === 'boom');
    next = { status: 429, code: 'ResourceThrottled' };
    const t = await inv.invoke(req);
    assert.ok(!t.ok && t.kind === 'transport', 'throttling is not the function failing');
    next = { status: 404, code: 'FunctionNotFound' };
    const nf = await inv.invoke(req);
    assert.ok(!nf.ok && nf.kind === 'function', 'a missing function counts against the task');
  } finally {
    await fc.close();
  }
  const fc2 = await startFcServer({ 'fc-ak': 'fc-secret' }, () => ({ ok: 'x' }));
  const w2 = new FcInvoker({
    accountId: '123',
    region: 'cn-hangzhou',
    serviceName: 'svc',
    functionName: 'etl',
    endpoint: fc2.endpoint,
    credentials: { accessKeyId: 'fc-ak', accessKeySecret: 'nope' },
  });
  const bad = await w2.invoke(req);
  assert.ok(
    !bad.ok && bad.kind === 'function' && /SignatureNotMatch|403/.test(bad.error.errorMessage + bad.error.errorType),
    'the server checked the signature',
  );
  await fc2.close();
});
