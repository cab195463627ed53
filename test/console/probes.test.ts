// Probes an orchestrator can trust: /readyz follows the job (not joined, ready, heartbeats failing,
// stopping) on the job's manual clock; /healthz fails after the event loop stalled past its bound and
// recovers; the probe port answers GET of its three paths and nothing else; `run --metrics` serves
// them from the CLI, ready once the job runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProbeServer } from '../../src/console/index.js';
import { readinessOf, TriggerMetrics } from '../../src/trigger/index.js';
import { startCli } from '../helpers/cli.js';
import { startJob } from '../helpers/job.js';
import { servedJob } from '../helpers/servedJob.js';

test('readiness follows the job: not joined, ready, heartbeats failing, stopping', async () => {
  let failHeartbeats = false;
  const job = await startJob({
    shards: 2,
    config: { heartbeatIntervalSeconds: 20 },
    schedulerFault: (method) => (failHeartbeats && method === 'heartbeat' ? new Error('connect ECONNREFUSED') : undefined),
  });
  try {
    const ready = () => readinessOf(job.scheduler.health());
    assert.deepEqual(ready(), {
      ready: false,
      reason: 'has not joined its consumer group yet',
      lastHeartbeatSecondsAgo: undefined,
      lastTickSecondsAgo: undefined,
    });
    await job.scheduler.tick();
    assert.deepEqual(ready(), { ready: true, lastHeartbeatSecondsAgo: 0, lastTickSecondsAgo: 0 });
    failHeartbeats = true;
    job.clock.advance(20_000);
    await assert.rejects(job.scheduler.tick(), /ECONNREFUSED/);
    assert.equal(ready().ready, true, 'one missed heartbeat is within two intervals');
    job.clock.advance(21_000);
    await assert.rejects(job.scheduler.tick(), /ECONNREFUSED/);
    assert.deepEqual(ready(), {
      ready: false,
      reason: 'last successful heartbeat 41 s ago (every 20 s)',
      lastHeartbeatSecondsAgo: 41,
      lastTickSecondsAgo: 41,
    });
    failHeartbeats = false;
    await job.scheduler.tick();
    assert.equal(ready().ready, true);
    await job.scheduler.stop();
    assert.equal(ready().reason, 'stopping: finishing in-flight tasks');
  } finally {
    await job.close();
  }
});

test('the probe port: /healthz fails after a stall past its bound, then recovers; /readyz and /metrics; nothing else', async () => {
  let readiness = { ready: false, reason: 'has not joined its consumer group yet' };
  const metrics = new TriggerMetrics();
  const probes = await startProbeServer({ registries: [metrics.registry], readiness: () => readiness, maxEventLoopDelayMs: 100 });
  const get = async (p: string, method = 'GET') => {
    const r = await fetch(new URL(p, probes.url), { method });
    return { status: r.status, text: await r.text() };
  };
  try {
    assert.equal((await get('/healthz')).status, 200);
    const until = Date.now() + 400;
    while (Date.now() < until); // the event loop stalls for 400 ms
    const stalled = await get('/healthz');
    assert.equal(stalled.status, 503);
    assert.match(JSON.parse(stalled.text).reason, /^the event loop stalled for \d+ ms \(bound 100 ms\)$/);
    assert.equal((await get('/healthz')).status, 200, 'each probe reads the delay since the last one');
    assert.deepEqual([(await get('/readyz')).status, JSON.parse((await get('/readyz')).text)], [503, readiness]);
    readiness = { ready: true } as typeof readiness;
    assert.equal((await get('/readyz')).status, 200);
    const m = await get('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.text, /# TYPE sls_trigger_invocations_total counter/);
    assert.equal((await get('/api/overview')).status, 404);
    assert.equal((await get('/metrics', 'POST')).status, 405);
  } finally {
    await probes.close();
  }
});

test('run --metrics serves the probes: ready once the job runs', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-probes-'));
  const serve = startCli(['serve', '--port', '0', '--memory', '--quiet']);
  let run: ReturnType<typeof startCli> | undefined;
  try {
    const endpoint = (await serve.waitFor((l) => l.startsWith('LogHub listening on '))).slice('LogHub listening on '.length);
    const fnModule = fileURLToPath(new URL('../fixtures/functions/counting.ts', import.meta.url));
    const job = path.join(dir, 'job.json');
    writeFileSync(
      job,
      JSON.stringify(await servedJob(endpoint, 'probe-proj', { type: 'local', module: fnModule, initializer: 'initialize' })),
    );
    run = startCli(['run', '-c', job, '--metrics', '127.0.0.1:0', '--quiet']);
    const url = (await run.waitFor((l) => l.startsWith('metrics  http://'))).split(/\s+/)[1].replace(/metrics$/, '');
    await run.waitFor((l) => /Success/.test(l)); // the first task: joined, heartbeat and tick went through
    const readyz = await fetch(new URL('/readyz', url));
    assert.equal(readyz.status, 200, await readyz.clone().text());
    assert.equal(((await readyz.json()) as { ready: boolean }).ready, true);
    assert.equal((await fetch(new URL('/healthz', url))).status, 200);
    assert.match(await (await fetch(new URL('/metrics', url))).text(), /sls_trigger_invocations_total\{[^}]*status="Success"\} 1/);
  } finally {
    run?.child.kill('SIGTERM');
    await run?.exit;
    serve.child.kill('SIGTERM');
    await serve.exit;
    rmSync(dir, { recursive: true, force: true });
  }
});
