// The CLI end to end as child processes against `sls-trigger serve`: events, replay (live, record,
// offline fixture), run --once, status, checkpoint reset, preview. Exit codes, output, files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { runCli, startCli, type Cli } from '../helpers/cli.js';

const fnModule = fileURLToPath(new URL('../fixtures/functions/counting.ts', import.meta.url));
let serve: Cli;
let endpoint = '';
let dir = '';
let client: LogClient;
const P = 'cli-proj';
const src = () => ['--endpoint', endpoint, '--project', P, '--logstore', 'access'];

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'slst-cli-'));
  serve = startCli(['serve', '--port', '0', '--memory', '--quiet']);
  endpoint = (await serve.waitFor((l) => l.startsWith('LogHub listening on '))).slice('LogHub listening on '.length);
  client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY });
  await client.createProject({ project: P });
  await client.createLogStore({ project: P, logstore: 'access', shardCount: 2 });
  await client.createLogStore({ project: P, logstore: 'trigger-log', shardCount: 1 });
  for (let i = 0; i < 3; i++) {
    await client.putLogs({
      project: P,
      logstore: 'access',
      hashKey: '00000000000000000000000000000000',
      logGroup: { logs: [{ time: 1700000000 + i, contents: [{ key: 'n', value: String(i) }] }], topic: 'app', logTags: [] },
    });
  }
});
/** A JSON job config in the test's directory over the `access` logstore, running the counting function; `extra` overrides. */
function writeJob(jobName: string, extra: Record<string, unknown>): string {
  const file = path.join(dir, `${jobName}.json`);
  const base = {
    endpoint,
    project: P,
    jobName,
    sourceConfig: { logstore: 'access', startTime: 'begin' },
    jobConfig: { triggerInterval: 60, maxRetryTime: 1 },
    logConfig: { project: P, logstore: 'trigger-log' },
    target: { type: 'local', module: fnModule, initializer: 'initialize' },
  };
  writeFileSync(file, JSON.stringify({ ...base, ...extra }));
  return file;
}

after(async () => {
  client.close();
  serve.child.kill('SIGTERM');
  await serve.exit;
  rmSync(dir, { recursive: true, force: true });
});

test('events generate prints a valid event; events validate checks files and names bad fields', async () => {
  const gen = await runCli(['events', 'generate', ...src(), '--shard', '0', '--job', 'j1', '--parameter', '{"a":1}']);
  assert.equal(gen.code, 0, gen.stderr);
  const e = JSON.parse(gen.stdout);
  assert.deepEqual([e.source.shardId, e.jobName, e.parameter], [0, 'j1', { a: 1 }]);
  assert.equal(e.cursorTime > 0, true);
  const good = path.join(dir, 'good.json');
  writeFileSync(good, gen.stdout);
  assert.equal((await runCli(['events', 'validate', good])).code, 0);
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ ...e, source: { ...e.source, shardId: -1 } }));
  const v = await runCli(['events', 'validate', bad]);
  assert.equal(v.code, 1);
  assert.match(v.stderr, /source.shardId must be >= 0/);
});

test('replay --record then --fixture offline gives the same result', async () => {
  const fx = path.join(dir, 'fixture.json');
  // Recorded from a LogHub of its own, stopped before the offline replay.
  const own = startCli(['serve', '--port', '0', '--memory', '--quiet']);
  const ownEndpoint = (await own.waitFor((l) => l.startsWith('LogHub listening on '))).slice('LogHub listening on '.length);
  const ownClient = new LogClient({ endpoint: ownEndpoint, credentials: DEFAULT_ACCESS_KEY });
  await ownClient.createProject({ project: P });
  await ownClient.createLogStore({ project: P, logstore: 'access', shardCount: 1 });
  for (let i = 0; i < 3; i++)
    await ownClient.putLogs({
      project: P,
      logstore: 'access',
      logGroup: { logs: [{ time: 1700000000 + i, contents: [{ key: 'n', value: String(i) }] }], topic: 'app', logTags: [] },
    });
  ownClient.close();
  const live = await runCli([
    'replay',
    '--endpoint',
    ownEndpoint,
    '--project',
    P,
    '--logstore',
    'access',
    '--shard',
    '0',
    '--module',
    fnModule,
    '--initializer',
    'initialize',
    '--record',
    fx,
    '--json',
  ]);
  assert.equal(live.code, 0, live.stderr);
  const a = JSON.parse(live.stdout);
  assert.equal(a.ok, true);
  assert.equal(a.result.ingestLines, 3);
  const recorded = JSON.parse(readFileSync(fx, 'utf8'));
  assert.equal(recorded.groups, 3);
  own.child.kill('SIGTERM');
  assert.equal(await own.exit, 0);
  // offline: the server that held the data is gone
  const off = await runCli(['replay', '--fixture', fx, '--module', fnModule, '--initializer', 'initialize', '--json']);
  assert.equal(off.code, 0, off.stderr);
  const b = JSON.parse(off.stdout);
  for (const k of ['ingestLines', 'ingestBytes', 'shipLines', 'shipBytes', 'pulls']) assert.equal(b.result[k], a.result[k], k);
  assert.equal(b.event.source.beginCursor, a.event.source.beginCursor, 'same cursors');
  assert.equal(b.event.taskId, a.event.taskId);
});

test('replay splits a long range into windows and shows progress', async () => {
  const r = await runCli(['replay', ...src(), '--shard', '0', '--module', fnModule, '--initializer', 'initialize', '--window', '1']);
  assert.equal(r.code, 0, r.stderr);
  const results = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { ingestLines: number });
  assert.deepEqual(
    results.map((x) => x.ingestLines),
    [1, 1, 1],
  );
  assert.match(r.stderr, /\[#{24}\] 100% 3\/3 groups, event 3\/3/);
});

test('run --once processes the data; checkpoint reset refuses a live job unless --force, then re-delivers', async () => {
  // A long lease (3 × 600 s): "live" must not depend on how fast this machine runs the steps below.
  const job = writeJob('cli-job', { jobConfig: { triggerInterval: 60, maxRetryTime: 1 }, heartbeatIntervalSeconds: 600 });
  const lines = (out: string) =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { ingest_lines: number; task_status: string });
  // --once runs from cron keep one consumer name: a new name would wait for the old one to time out
  const first = await runCli(['run', '--config', job, '--once', '--consumer', 'cron']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(
    lines(first.stdout).reduce((n, r) => n + r.ingest_lines, 0),
    3,
  );
  // it says what it did (a quiet run printed nothing)
  assert.match(first.stderr, /^run --once: checked 2 shards: \d+ records? \(\d+ Success\), 3 log lines read by the function$/m);
  const status = await runCli(['status', '--config', job, '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(
    JSON.parse(status.stdout).map((r: { pendingGroups: number }) => r.pendingGroups),
    [0, 0],
  );
  const dry = await runCli(['checkpoint', 'reset', '--config', job, '--to', 'begin', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  const dryRows = dry.stdout.trim().split('\n');
  assert.match(dryRows[0], /^shard\s+current\s+new\s+effect\s+held_by$/);
  assert.match(dryRows[1], /^0\s+\S+\s+\S+\s+re-delivers 3 log groups\s+cron$/);
  assert.match(dryRows[2], /^1\s+\S+\s+\S+\s+no change\s+cron$/);
  assert.equal(dryRows[3], 'dry run: nothing changed; without --force it would be refused: shard(s) 0, 1 held by a live job');
  const refused = await runCli(['checkpoint', 'reset', '--config', job, '--to', 'begin']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /committed within the last \d+s: stop the job first, or pass --force/);
  const reset = await runCli(['checkpoint', 'reset', '--config', job, '--to', 'begin', '--force']);
  assert.equal(reset.code, 0, reset.stderr);
  assert.match(reset.stdout, /^shard 0: checkpoint \S+ -> \S+ \(re-delivers 3 log groups\)$/m);
  // (the flag is wired: with 2 shards and 64 connections nothing is pipelined, and nothing changes)
  const again = await runCli(['run', '--config', job, '--once', '--consumer', 'cron', '--pipelining', '4']);
  assert.equal(
    lines(again.stdout).reduce((n, r) => n + r.ingest_lines, 0),
    3,
    'the data after the reset point is delivered again',
  );
  const quiet = await runCli(['run', '--config', job, '--once', '--consumer', 'cron']);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stderr, /^run --once: checked 2 shards: nothing new$/m);
  const show = await runCli(['checkpoint', 'show', '--config', job]);
  assert.equal(show.code, 0, show.stderr);
  const rows = show.stdout.trim().split('\n');
  assert.match(rows[0], /^shard\s+checkpoint\s+owner\s+updated\s+pending_groups$/);
  assert.deepEqual(
    rows.slice(1).map((r) => r.split(/\s+/)[0]),
    ['0', '1'],
    'one row per shard',
  );
  assert.deepEqual(
    rows.slice(1).map((r) => r.split(/\s+/).at(-1)),
    ['0', '0'],
    'nothing pending after the re-run',
  );
  const shard0 = rows[1].split(/\s+/);
  assert.equal(shard0[2], 'cron', 'shard 0 last committed by the cron consumer');
});

test('run --once with --bisect isolates the poison log into a directory letter; redrive with the fixed function, then skips', async () => {
  const letters = path.join(dir, 'letters');
  const job = writeJob('bisect-job', {
    jobConfig: { triggerInterval: 60, maxRetryTime: 0 },
    target: {
      type: 'local',
      module: fileURLToPath(new URL('../fixtures/functions/poison.ts', import.meta.url)),
      initializer: 'initialize',
    },
    bisectOnError: true,
    onRetriesExhausted: 'deadLetter',
    deadLetter: { dir: 'letters' },
  });
  const run = await runCli(['run', '--config', job, '--once', '--consumer', 'cron', '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /^bisect shard=0 /m);
  assert.match(run.stderr, /^dead letter shard=0 .* RetriesExhausted: 1 groups, \d+ bytes saved/m);
  const files = readdirSync(letters).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 1, 'one letter, relative to the config file');
  const dry = await runCli(['redrive', '--config', job, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /would redrive from the source/);
  const stillBroken = await runCli(['redrive', '--config', job]);
  assert.equal(stillBroken.code, 1, 'a failed redrive exits 1');
  assert.match(stillBroken.stderr, /FAILED from the source: .*cannot process log n=1/);
  const fixed = await runCli(['redrive', '--config', job, '--module', fnModule, '--json']);
  assert.equal(fixed.code, 0, fixed.stderr);
  const items = fixed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    items.map((i) => i.action ?? i.summary.redriven),
    ['redriven', 1],
  );
  const again = await runCli(['redrive', '--config', job, '--module', fnModule]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /0 redriven, 0 failed, 1 skipped/);
});

test('run -c s.yaml --target fc invokes the deployed FC 3.0 function: name, region, account and qualifier from the s.yaml', async () => {
  const { startFc3Server } = await import('../helpers/fc3Server.js');
  const seen: Array<{ fn: string; qualifier?: string; shard: number }> = [];
  const fc = await startFc3Server({ [DEFAULT_ACCESS_KEY.accessKeyId]: DEFAULT_ACCESS_KEY.accessKeySecret }, (call) => {
    const e = JSON.parse(call.event.toString()) as { source: { shardId: number } };
    seen.push({ fn: call.functionName, qualifier: call.qualifier, shard: e.source.shardId });
    return { ok: { ingestLines: 1, ingestBytes: 0, shipLines: 1, shipBytes: 0 }, logs: ['ran on fc3'] };
  });
  try {
    const project = 'sls-trigger-demo';
    await client.createProject({ project });
    await client.createLogStore({ project, logstore: 'nginx-access', shardCount: 1 });
    await client.createLogStore({ project, logstore: 'etl-trigger-log', shardCount: 1 });
    // the s.yaml's trigger starts at the latest data: checkpoints first, then the data
    const args = [
      'run',
      '-c',
      's.yaml',
      '--target',
      'fc',
      '--fc-endpoint',
      fc.endpoint,
      '--endpoint',
      endpoint,
      '--once',
      '--consumer',
      'fc3',
    ];
    const env = { ALIBABA_CLOUD_ACCOUNT_ID: '1234567890', ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' };
    const first = await runCli(args, { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /-> fc3:user-defined-function:LATEST \(cn-hangzhou, account 1234567890\)/);
    await client.putLogs({
      project,
      logstore: 'nginx-access',
      logGroup: { logs: [{ time: Math.floor(Date.now() / 1000), contents: [{ key: 'status', value: '200' }] }], logTags: [] },
    });
    const second = await runCli(args, { env });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(seen, [{ fn: 'user-defined-function', qualifier: 'LATEST', shard: 0 }]);
    const records = second.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { task_status: string; ingest_lines: number });
    assert.deepEqual(
      records.map((r) => [r.task_status, r.ingest_lines]),
      [['Success', 1]],
    );
    const noAccount = await runCli(['run', '-c', 's.yaml', '--target', 'fc', '--endpoint', endpoint, '--once'], {
      env: { ...env, ALIBABA_CLOUD_ACCOUNT_ID: '' },
    });
    assert.equal(noAccount.code, 1);
    assert.match(noAccount.stderr, /the FC target needs the account id: set ALIBABA_CLOUD_ACCOUNT_ID/);
  } finally {
    await fc.close();
  }
});

test('preview prints the first groups; bad flags name the value', async () => {
  const p = await runCli(['preview', ...src(), '--shard', '0', '--count', '2']);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stdout.split('\n').filter((l) => l.includes('n=')).length, 2);
  assert.match(p.stderr, /^shard 0: 2 log groups, 2 log lines from begin$/m, 'groups and lines told apart');
  // --lines counts logs, across groups and inside one
  await client.createLogStore({ project: P, logstore: 'multi', shardCount: 1 });
  for (let g = 0; g < 2; g++)
    await client.putLogs({
      project: P,
      logstore: 'multi',
      logGroup: { logs: [0, 1, 2].map((i) => ({ time: 1700000000, contents: [{ key: 'n', value: `${g}-${i}` }] })), logTags: [] },
    });
  const multi = ['--endpoint', endpoint, '--project', P, '--logstore', 'multi'];
  const byLines = await runCli(['preview', ...multi, '--lines', '4']);
  assert.equal(byLines.code, 0, byLines.stderr);
  assert.deepEqual(
    byLines.stdout
      .split('\n')
      .filter((l) => l.includes('n='))
      .map((l) => l.split('n=')[1]),
    ['0-0', '0-1', '0-2', '1-0'],
  );
  assert.match(byLines.stderr, /^shard 0: 2 log groups, 4 log lines from begin$/m);
  const bad = await runCli(['preview', ...src(), '--from', 'yesterday-ish']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--from "yesterday-ish" is not begin, end, unix seconds or an ISO date/);
  const missing = await runCli(['run', '--config', path.join(dir, 'nope.yaml')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /config file .*nope\.yaml not found \(give -c, --config/);
  const port = Number(new URL(endpoint).port);
  const busy = await runCli(['serve', '--port', String(port), '--memory']);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
  const noSrc = await runCli(['preview']);
  assert.equal(noSrc.code, 1);
  assert.match(noSrc.stderr, /give --config, or --endpoint, --project, --logstore/);
});
