// The package as a user gets it: `npm pack`, installed into a fresh plain-JavaScript ESM
// project and type-checked from a strict TypeScript one, with no tsx anywhere in them. One pack and
// one install serve every case; a project scaffolded by the installed `init` runs its own tests
// against the tarball.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startCli, type Cli } from '../helpers/cli.js';
import { servedJob } from '../helpers/servedJob.js';

let work = '';
let tarball = '';
let consumer = '';

function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const env = { ...process.env, ...(opts.env ?? {}) };
  delete env.NODE_TEST_CONTEXT; // a child test run must print its own summary
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts, env });
  return { code: r.status, out: String(r.stdout ?? ''), err: String(r.stderr ?? '') };
}

function npmInstall(dir: string): void {
  const r = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir });
  assert.equal(r.code, 0, r.err);
}

before(() => {
  assert.ok(existsSync(path.join(repoRoot, 'dist/index.js')), 'dist/ is built (npm test builds it first; alone: npm run build)');
  work = mkdtempSync(path.join(os.tmpdir(), 'slst-pkg-'));
  // --ignore-scripts: npm test built dist/ already; rebuilding it here would rewrite files other
  // tests are running from at that moment.
  const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--loglevel=error'], { cwd: repoRoot });
  assert.equal(pack.code, 0, pack.err);
  tarball = path.join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  consumer = path.join(work, 'consumer-js');
  mkdirSync(consumer);
  // @types/node only for the TypeScript case below (the API speaks Buffer, as Node libraries do)
  const typesNode = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
    .devDependencies['@types/node'];
  writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer-js',
      private: true,
      type: 'module',
      dependencies: { 'sls-trigger': `file:${tarball}`, '@types/node': typesNode },
    }),
  );
  npmInstall(consumer);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the tarball ships compiled JavaScript, declarations, templates and no sources or tests', () => {
  const files = sh('tar', ['tzf', tarball]).out.split('\n');
  for (const f of [
    'package/dist/index.js',
    'package/dist/index.d.ts',
    'package/dist/runtime/index.d.ts.map',
    'package/dist/trigger/invokers/localWorker.mjs',
    'package/dist/event/event.schema.json',
    'package/bin/sls-trigger.js',
    'package/template/splunk-hec/src/index.ts',
    'package/LICENSE',
    'package/README.md',
    'package/docs/cli.md', // the README's links work in the installed package
  ]) {
    assert.ok(files.includes(f), `${f} shipped`);
  }
  assert.deepEqual(
    files.filter((f) => /^package\/(src|test|bench|fuzz|chaos)\//.test(f) || /node_modules/.test(f)),
    [],
  );
  assert.deepEqual(
    readdirSync(path.join(consumer, 'node_modules')).filter((n) => n === 'tsx' || n === 'typescript'),
    [],
    'no TypeScript compiler or loader installed with it',
  );
});

test('plain JavaScript ESM: every entry point imports, a handler reads a real range with exact counters, the console serves its page', () => {
  writeFileSync(
    path.join(consumer, 'use.mjs'),
    `import * as all from 'sls-trigger';
import { createHandler } from 'sls-trigger/runtime';
import { LogClient } from 'sls-trigger/client';
import { startLogHub, DEFAULT_ACCESS_KEY } from 'sls-trigger/loghub';
import { Scheduler, LocalInvoker } from 'sls-trigger/trigger';
import { serveFixture } from 'sls-trigger/testing';
import schema from 'sls-trigger/event.schema.json' with { type: 'json' };
import pkg from 'sls-trigger/package.json' with { type: 'json' };
const hub = await startLogHub({ port: 0, memory: true, ttlIntervalMs: 0 });
const client = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
await client.createProject({ project: 'pkg-test' });
await client.createLogStore({ project: 'pkg-test', logstore: 'src', shardCount: 1 });
const begin = await client.getCursor({ project: 'pkg-test', logstore: 'src', shardId: 0, from: 'begin' });
for (let g = 0; g < 3; g++) await client.putLogs({ project: 'pkg-test', logstore: 'src', logGroup: { logs: [1, 2].map((i) => ({ time: 1700000000, contents: [{ key: 'n', value: g + '-' + i }] })), logTags: [] } });
const end = await client.getCursor({ project: 'pkg-test', logstore: 'src', shardId: 0, from: 'end' });
const seen = [];
const handler = createHandler((batch) => { for (const r of batch.records()) seen.push(r.n); return true; });
const event = { source: { endpoint: hub.endpoint, projectName: 'pkg-test', logstoreName: 'src', shardId: 0, beginCursor: begin, endCursor: end }, parameter: {}, jobName: 'j', taskId: 't', cursorTime: 1700000000 };
const r = await handler(JSON.stringify(event), { requestId: 'r', credentials: DEFAULT_ACCESS_KEY });
// a plain .mjs function under the local invoker (what run, dev and replay use)
const inv = new LocalInvoker({ module: './fn.mjs' });
const viaWorker = await inv.invoke({ event: Buffer.from(JSON.stringify(event)), requestId: 'w', timeoutMs: 10000, credentials: DEFAULT_ACCESS_KEY });
await inv.close();
// the console's page and its vendored chart library come from the installed package
await client.createLogStore({ project: 'pkg-test', logstore: 'log', shardCount: 1 });
const job = all.parseJobConfig({ endpoint: hub.endpoint, project: 'pkg-test', sourceConfig: { logstore: 'src' }, jobConfig: { triggerInterval: 10 }, logConfig: { project: 'pkg-test', logstore: 'log' }, target: { type: 'local', module: './fn.mjs' } });
const con = await all.startConsole({ client, job, credentials: DEFAULT_ACCESS_KEY, mode: 'standalone', canServeSaved: false, sampleMs: 3600000 });
const pages = await Promise.all(['', 'app.js', 'charts.js', 'dom.js', 'style.css', 'vendor/uPlot.esm.js', 'vendor/uPlot.min.css', 'api/overview', 'metrics'].map(async (p) => (await fetch(con.url + p)).status));
await con.close();
client.close();
await hub.close();
console.log(JSON.stringify({ pages, entries: [typeof all.createHandler, typeof Scheduler, typeof serveFixture, schema.title, pkg.name], lz4: all.lz4Implementation, seen, counters: [r.ingestLines, r.shipLines, r.pulls, r.emptyTrigger], worker: viaWorker.ok ? JSON.parse(viaWorker.body.toString()).ingestLines : viaWorker }));
`,
  );
  writeFileSync(
    path.join(consumer, 'fn.mjs'),
    `import { createHandler } from 'sls-trigger/runtime';\nexport const handler = createHandler(() => true);\n`,
  );
  const r = sh(process.execPath, ['use.mjs'], { cwd: consumer });
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as {
    pages: number[];
    entries: unknown[];
    lz4: string;
    seen: string[];
    counters: unknown[];
    worker: unknown;
  };
  assert.deepEqual(
    out.pages,
    [200, 200, 200, 200, 200, 200, 200, 200, 200],
    'the console serves its page, modules and uPlot from the installed package',
  );
  assert.deepEqual(out.entries, ['function', 'function', 'function', 'SLS log trigger event', 'sls-trigger']);
  assert.deepEqual(out.seen, ['0-1', '0-2', '1-1', '1-2', '2-1', '2-2']);
  assert.deepEqual(out.counters, [6, 6, 1, false]);
  assert.equal(out.worker, 6);
  assert.match(out.lz4, /^(native|js)$/);
});

test('require(): loads the ES module where Node can (20.19+, 22.12+), else says what to do instead', () => {
  writeFileSync(
    path.join(consumer, 'use.cjs'),
    `try { console.log(typeof require('sls-trigger/runtime').createHandler); } catch (e) { console.log(e.code + ': ' + e.message); }\n`,
  );
  const r = sh(process.execPath, ['use.cjs'], { cwd: consumer });
  // Node 20.19+ and 22.12+ load ES modules from require() (process.features.require_module).
  if ((process.features as { require_module?: boolean }).require_module) assert.equal(r.out.trim(), 'function');
  const without = (process.features as { require_module?: boolean }).require_module
    ? sh(process.execPath, ['--no-experimental-require-module', 'use.cjs'], { cwd: consumer })
    : r;
  assert.match(without.out, /^ERR_SLS_TRIGGER_ESM_ONLY: sls-trigger is an ES module: .*sls-trigger build/);
});

test('strict TypeScript (module nodenext) type-checks against the shipped declarations', () => {
  const ts = path.join(work, 'consumer-ts');
  mkdirSync(path.join(ts, 'src'), { recursive: true });
  symlinkSync(path.join(consumer, 'node_modules'), path.join(ts, 'node_modules'));
  writeFileSync(path.join(ts, 'package.json'), JSON.stringify({ name: 'consumer-ts', private: true, type: 'module' }));
  writeFileSync(
    path.join(ts, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      include: ['src'],
    }),
  );
  writeFileSync(
    path.join(ts, 'src/index.ts'),
    `import { createHandler, type ProcessContext, type HandlerResult } from 'sls-trigger/runtime';
import { LogClient, type PullLogsResult } from 'sls-trigger/client';
import { startLogHub, type LogHub } from 'sls-trigger/loghub';
import { Scheduler, type JobConfig, type TaskEvent } from 'sls-trigger/trigger';
import { serveFixture } from 'sls-trigger/testing';
import { lz4Implementation, type LogGroup } from 'sls-trigger';
export const handler = createHandler<{ field: string }>(async (batch, ctx: ProcessContext<{ field: string }>) => {
  for (const r of batch.records()) ctx.logger.info(r[ctx.parameter.field] ?? '');
  return batch.logCount > 0;
});
export async function check(c: LogClient, hub: LogHub, config: JobConfig, s: Scheduler): Promise<[HandlerResult | undefined, PullLogsResult | undefined, string]> {
  s.on('task', (t: TaskEvent) => t.shard_id + t.ingest_lines);
  const g: LogGroup = { logs: [], logTags: [] };
  void g; void serveFixture; void hub.endpoint; void config.jobName; void c.endpoint;
  return [undefined, undefined, lz4Implementation];
}
`,
  );
  const r = sh(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', ts], { cwd: ts });
  assert.equal(r.code, 0, r.out + r.err);
});

test('the installed bin: --help, --version, serve, and init writing a project that passes its tests against the tarball', () => {
  const bin = path.join(consumer, 'node_modules/.bin/sls-trigger');
  const help = sh(bin, ['--help']);
  assert.equal(help.code, 0, help.err);
  for (const c of ['dev', 'serve', 'run', 'replay', 'init', 'build']) assert.match(help.out, new RegExp(`^  ${c}\\b`, 'm'));
  const forcedJs = sh(bin, ['--version'], { env: { SLS_TRIGGER_LZ4: 'js' } });
  assert.match(forcedJs.out, /^\d+\.\d+\.\d+ \(lz4: js\)\nlz4: pure-JS codec .*"allowScripts": \{"lz4": true\}/);
  const serve = sh('bash', ['-c', `"${bin}" serve --port 0 --memory --quiet & pid=$!; sleep 1.5; kill -TERM $pid; wait $pid`]);
  assert.equal(serve.code, 0, serve.err);
  assert.match(serve.err, /LogHub listening on http:\/\/127\.0\.0\.1:\d+/);
  const fn = path.join(work, 'my-fn');
  const init = sh(bin, ['init', fn, '--template', 'user-defined-function']);
  assert.equal(init.code, 0, init.err);
  const pkg = JSON.parse(readFileSync(path.join(fn, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  assert.equal(pkg.dependencies['sls-trigger'], `^${version}`, 'a semver range of the running version');
  // Not on the registry yet: the scaffolded project gets the tarball instead of the range.
  pkg.dependencies['sls-trigger'] = `file:${tarball}`;
  writeFileSync(path.join(fn, 'package.json'), JSON.stringify(pkg, null, 2));
  npmInstall(fn);
  const t = sh('npm', ['test'], { cwd: fn });
  assert.equal(t.code, 0, t.out + t.err);
  assert.match(t.out, /# fail 0/);
});

test('the installed CLI (production dependencies only) runs a job as the deploy files do: run --metrics, ready, SIGTERM drains', async () => {
  const bin = path.join(consumer, 'node_modules/sls-trigger/bin/sls-trigger.js');
  const serve = startCli(['serve', '--port', '0', '--memory', '--quiet'], { bin, cwd: consumer });
  let run: Cli | undefined;
  try {
    const endpoint = (await serve.waitFor((l) => l.startsWith('LogHub listening on '))).slice('LogHub listening on '.length);
    const job = await servedJob(endpoint, 'deploy-p', { type: 'local', module: './fn.mjs' });
    writeFileSync(path.join(consumer, 'job.json'), JSON.stringify(job));
    writeFileSync(
      path.join(consumer, 'fn.mjs'),
      `import { createHandler } from 'sls-trigger/runtime';\nexport const handler = createHandler(() => true);\n`,
    );
    // the container's command line (Dockerfile CMD), on loopback
    run = startCli(['run', '--config', 'job.json', '--metrics', '127.0.0.1:0', '--quiet'], { bin, cwd: consumer });
    const probes = (await run.waitFor((l) => l.startsWith('metrics  http://'))).split(/\s+/)[1].replace(/metrics$/, '');
    await run.waitFor((l) => /Success/.test(l));
    const ready = await fetch(new URL('/readyz', probes));
    assert.equal(ready.status, 200, await ready.text());
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0, run.stderr.join('\n'));
  } finally {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    serve.child.kill('SIGTERM');
    await serve.exit;
  }
});
