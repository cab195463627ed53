import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { LocalInvoker } from '../../src/trigger/invokers/local.js';

const mod = fileURLToPath(new URL('../fixtures/functions/behaviours.ts', import.meta.url));
const creds = { accessKeyId: 'a', accessKeySecret: 'b', securityToken: 't' };
const req = (id: string, timeoutMs = 5000) => ({ event: Buffer.from('{"x":1}'), requestId: id, timeoutMs, credentials: creds });

test('async and callback handlers; FC result conversion; logs captured per request', async () => {
  const inv = new LocalInvoker({ module: mod, handler: 'echo' });
  const r = await inv.invoke(req('r1'));
  assert.ok(r.ok);
  assert.deepEqual(JSON.parse(r.body.toString()), { got: { x: 1 }, requestId: 'r1' });
  assert.match(r.logs[0], / r1 \[info\] echo 7$/);
  assert.match(r.logs[1], / r1 \[info\] console line$/);
  await inv.close();
  const cb = new LocalInvoker({ module: mod, handler: 'callbackOk' });
  const c = await cb.invoke(req('r2'));
  assert.ok(c.ok);
  assert.equal(c.body.toString(), '{"style":"callback"}');
  await cb.close();
  const t = new LocalInvoker({ module: mod, handler: 'text' });
  const tx = await t.invoke(req('r3'));
  assert.ok(tx.ok);
  assert.equal(tx.body.toString(), 'plain text');
  await t.close();
});

test('errors come back in FC shape: handled, unhandled, timeout, process exit, missing handler', async () => {
  const cases: Array<[string, string, RegExp, number?]> = [
    ['callbackErr', 'HandledInvocationError', /^handled oops$/],
    ['throws', 'UnhandledInvocationError', /^unhandled oops$/],
    ['spins', 'UnhandledInvocationError', /^Task timed out after 0.30 seconds$/, 300],
    ['exits', 'UnhandledInvocationError', /^Process exited unexpectedly/],
    ['nope', 'UnhandledInvocationError', /^Handler 'nope' missing on module/],
  ];
  for (const [handler, type, msg, timeout] of cases) {
    const inv = new LocalInvoker({ module: mod, handler });
    const r = await inv.invoke(req(`e-${handler}`, timeout ?? 5000));
    assert.ok(!r.ok && r.kind === 'function', handler);
    assert.equal(r.errorType, type, handler);
    assert.match(r.error.errorMessage, msg, handler);
    if (handler === 'throws') assert.equal(r.error.errorType, 'TypeError');
    await inv.close();
  }
});

test('after a crash, a timeout or an exit the invoker survives: the next invocation succeeds', async () => {
  const inv = new LocalInvoker({ module: mod, handler: 'byEvent', maxWorkers: 1 });
  try {
    for (const crash of ['throw', 'spin', 'exit']) {
      const failed = await inv.invoke({ ...req(`crash-${crash}`, 300), event: Buffer.from(JSON.stringify({ do: crash })) });
      assert.ok(!failed.ok && failed.kind === 'function', crash);
      const ok = await inv.invoke({ ...req(`ok-after-${crash}`), event: Buffer.from('{"do":"ok"}') });
      assert.ok(ok.ok, `${crash}: ${JSON.stringify(ok)}`);
      assert.equal((JSON.parse(ok.body.toString()) as { did: string }).did, 'ok');
    }
  } finally {
    await inv.close();
  }
});

test('the initializer runs once per worker, before the first invocation', async () => {
  const inv = new LocalInvoker({ module: mod, handler: 'countInit', initializer: 'initialize', maxWorkers: 1 });
  for (const id of ['i1', 'i2', 'i3']) {
    const r = await inv.invoke(req(id));
    assert.ok(r.ok);
    assert.deepEqual(JSON.parse(r.body.toString()), { initialized: 1 });
  }
  await inv.close();
});

test('a module that fails while being imported names its file and line, and the error', async () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/functions/${name}`, import.meta.url));
  const cases: Array<[string, RegExp]> = [
    // the message alone was '"undefined" is not valid JSON': which file, which line?
    ['throwsAtImport.mjs', /^loading (\S+throwsAtImport\.mjs) failed at \1:2:\d+: SyntaxError: "undefined" is not valid JSON$/],
    ['syntaxError.mjs', /^loading \S+syntaxError\.mjs failed: SyntaxError: /],
  ];
  for (const [name, message] of cases) {
    const inv = new LocalInvoker({ module: fixture(name) });
    const r = await inv.invoke(req(`load-${name}`));
    await inv.close();
    assert.ok(!r.ok && r.kind === 'function', name);
    assert.equal(r.errorType, 'UnhandledInvocationError');
    assert.match(r.error.errorMessage, message);
    assert.equal(r.error.errorType, 'SyntaxError');
  }
});
