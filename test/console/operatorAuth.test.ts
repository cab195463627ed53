// The operator secret keeps the network out of a console: a console bound beyond loopback refuses
// to start without one; with one, no page, API call, stream or /metrics answers until a login (a
// session cookie) or a bearer secret, and the page's mutation token is never served before that.
// Everything here listens on loopback: the secret is enforced whatever the bind address once given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startConsole } from '../../src/console/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { runCli } from '../helpers/cli.js';
import { startConsoleJob } from '../helpers/consoleJob.js';

const SECRET = 'operator-secret-0123456789';
let c: Awaited<ReturnType<typeof startConsoleJob>>;

before(async () => {
  c = await startConsoleJob({ operatorSecret: SECRET });
  await c.run();
});
after(() => c.close());

async function call(p: string, init: RequestInit = {}) {
  const r = await fetch(new URL(p, c.console.url), { redirect: 'manual', ...init });
  return { status: r.status, location: r.headers.get('location'), cookie: r.headers.get('set-cookie'), text: await r.text() };
}
const resetBody = (headers: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-console-token': 'test-token', ...headers },
  body: JSON.stringify({ to: 'end', force: true }),
});
const login = (secret: string) =>
  call('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `secret=${encodeURIComponent(secret)}`,
  });

test('without the secret: the page sends to the login, and every read and mutation is refused', async () => {
  const page = await call('/');
  assert.deepEqual([page.status, page.location], [303, '/login']);
  assert.doesNotMatch(page.text, /test-token/);
  // an orchestrator's probes need no login
  await c.job.scheduler.tick(); // a heartbeat at the clock's present
  await c.job.scheduler.whenIdle();
  assert.equal((await call('/healthz')).status, 200);
  assert.equal((await call('/readyz')).status, 200);
  for (const p of ['/api/overview', '/api/tasks?from=0', '/api/dead-letters', '/api/preview', '/api/stream', '/metrics']) {
    const r = await call(p);
    assert.equal(r.status, 401, p);
    assert.match(r.text, /needs its operator secret: log in at \/login/);
  }
  // the page's token alone (which the page hands to anyone who loads it) moves nothing
  assert.equal((await call('/api/checkpoints/reset', resetBody({}))).status, 401);
  const form = await call('/login');
  assert.equal(form.status, 200);
  assert.match(form.text, /<input name="secret" type="password"/);
  assert.doesNotMatch(form.text, /test-token/);
  const wrong = await login('operator-secret-0123456788');
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /wrong operator secret/);
  assert.equal(wrong.cookie, null);
});

test('one login sets a session cookie; with it the page, the API and the mutations work', async () => {
  const ok = await login(SECRET);
  assert.deepEqual([ok.status, ok.location], [303, '/']);
  assert.match(ok.cookie ?? '', /^slst_console=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
  const cookie = ok.cookie!.split(';')[0];
  const page = await call('/', { headers: { cookie } });
  assert.equal(page.status, 200);
  assert.match(page.text, /<meta name="console-token" content="test-token" \/>/);
  assert.equal((await call('/api/overview', { headers: { cookie } })).status, 200);
  assert.equal((await call('/api/checkpoints/reset', resetBody({ cookie }))).status, 200);
  // a session of another start, or a made-up one, is not a session
  assert.equal((await call('/api/overview', { headers: { cookie: 'slst_console=made-up' } })).status, 401);
});

test('a scraper or script sends the secret as a bearer token', async () => {
  const metrics = await call('/metrics', { headers: { authorization: `Bearer ${SECRET}` } });
  assert.equal(metrics.status, 200);
  assert.match(metrics.text, /sls_trigger_invocations_total/);
  assert.equal((await call('/metrics', { headers: { authorization: 'Bearer not-the-secret' } })).status, 401);
});

test('a console beyond loopback without a secret, or with a short one, does not start', async () => {
  const o = { client: c.job.client, job: c.job.config, credentials: DEFAULT_ACCESS_KEY, mode: 'live' as const, canServeSaved: false };
  await assert.rejects(
    startConsole({ ...o, host: '0.0.0.0', port: 0 }),
    /would listen on 0\.0\.0\.0, not loopback: give it an operator secret/,
  );
  await assert.rejects(startConsole({ ...o, port: 0, operatorSecret: 'short' }), /at least 16 characters, got 5/);
  // the CLI checks before it starts anything (no config is even read)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-secret-'));
  try {
    const bare = await runCli(['run', '-c', path.join(dir, 'none.json'), '--console', '0.0.0.0:0']);
    assert.notEqual(bare.code, 0);
    assert.match(
      bare.stderr,
      /not loopback: give it an operator secret \(env SLS_TRIGGER_CONSOLE_SECRET, or a file with --console-secret-file\)/,
    );
    writeFileSync(path.join(dir, 'secret'), 'too-short\n');
    const short = await runCli(['dev', '--console', '0.0.0.0:0', '--console-secret-file', path.join(dir, 'secret'), '--data-dir', dir]);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /at least 16 characters, got 9/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
