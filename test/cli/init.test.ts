// init scaffolds a project that installs and passes its own tests; build bundles it into one file
// that runs where no node_modules exist (lz4's pure-JS codec), against a real LogHub.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { LocalInvoker } from '../../src/trigger/invokers/local.js';
import { runCli } from '../helpers/cli.js';
import { startTestHub } from '../helpers/hub.js';

const templates = ['user-defined-function', 'logstore-replication', 'splunk-hec', 'syslog', 'ip-lookup', 'oss-shipper-csv'];

test('init --list shows every template with one line', async () => {
  const list = await runCli(['init', '--list']);
  assert.equal(list.code, 0);
  for (const t of templates) assert.match(list.stdout, new RegExp(`^${t}\\s+\\S`, 'm'));
});

for (const template of templates) {
  test(`init --template ${template}: the scaffold installs, passes its own tests and bundles`, async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'slst-init-'));
    const dir = path.join(root, 'my-etl');
    try {
      const r = await runCli(['init', dir, '--template', template, '--project', 'prod-logs', '--logstore', 'access']);
      assert.equal(r.code, 0, r.stderr);
      const syaml = readFileSync(path.join(dir, 's.yaml'), 'utf8');
      assert.match(syaml, /functionName: my-etl/);
      assert.match(syaml, /project: prod-logs/);
      assert.match(syaml, /sourceConfig:\n\s+logstore: access/);
      assert.equal(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name, 'my-etl');
      assert.match(readFileSync(path.join(dir, '.gitignore'), 'utf8'), /^node_modules\/\ndist\/\n\.sls-trigger\/\n/);
      const again = await runCli(['init', dir]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /exists and is not empty/);
      const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, encoding: 'utf8' });
      assert.equal(install.status, 0, install.stderr);
      // a child `node --test` inside this runner would report to it instead of printing its summary
      const env = { ...process.env };
      delete env.NODE_TEST_CONTEXT;
      const t = spawnSync('npm', ['test'], { cwd: dir, encoding: 'utf8', env });
      assert.equal(t.status, 0, t.stdout + t.stderr);
      assert.match(t.stdout, /# fail 0/);
      // and bundles for FC: one file that loads and exports the handler
      const b = spawnSync('npm', ['run', '-s', 'build'], { cwd: dir, encoding: 'utf8', env });
      assert.equal(b.status, 0, b.stdout + b.stderr);
      assert.match(b.stdout + b.stderr, /dist\/index\.js: [\d.]+ KiB, loads in [\d.]+ ms, exports [^\n]*\bhandler\b/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test('build bundles one file that runs with no node_modules around it', async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'slst-build-'));
  const hub = await startTestHub('memory', { now: Date.now });
  try {
    const b = await runCli(['build', path.join('template', 'user-defined-function'), '--out-dir', out, '--json']);
    assert.equal(b.code, 0, b.stderr);
    const res = JSON.parse(b.stdout);
    assert.deepEqual(res.exports.sort(), ['handler', 'initialize']);
    assert.deepEqual(res.sYamlProblems, [], 'the template is a valid fc3 s.yaml');
    assert.equal(b.stderr, '');
    assert.ok(res.bytes > 10_000 && res.loadMs > 0);
    // FC's code directory: just the bundle, far from any node_modules
    const fcDir = path.join(out, 'code');
    mkdirSync(fcDir);
    copyFileSync(path.join(out, 'index.js'), path.join(fcDir, 'index.js'));
    copyFileSync(path.join(out, 'package.json'), path.join(fcDir, 'package.json'));
    await hub.client.createProject({ project: 'bundle-p' });
    await hub.client.createLogStore({ project: 'bundle-p', logstore: 'src', shardCount: 1 });
    const begin = await hub.client.getCursor({ project: 'bundle-p', logstore: 'src', shardId: 0, from: 'begin' });
    await hub.client.putLogs({
      project: 'bundle-p',
      logstore: 'src',
      logGroup: { logs: [{ time: 1, contents: [{ key: 'status', value: '200' }] }], logTags: [] },
    });
    const end = await hub.client.getCursor({ project: 'bundle-p', logstore: 'src', shardId: 0, from: 'end' });
    const inv = new LocalInvoker({ module: path.join(fcDir, 'index.js'), initializer: 'initialize' });
    const event = {
      source: { endpoint: hub.hub.endpoint, projectName: 'bundle-p', logstoreName: 'src', shardId: 0, beginCursor: begin, endCursor: end },
      parameter: {},
      jobName: 'j',
      taskId: 't',
      cursorTime: 1,
    };
    const r = await inv.invoke({
      event: Buffer.from(JSON.stringify(event)),
      requestId: 'b-1',
      timeoutMs: 10_000,
      credentials: DEFAULT_ACCESS_KEY,
    });
    await inv.close();
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(JSON.parse(r.body.toString()).ingestLines, 1);
  } finally {
    await hub.close();
    rmSync(out, { recursive: true, force: true });
  }
});

test('build refuses a bundle that does not export what s.yaml names, naming the field and the export', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-contract-'));
  try {
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src/index.js'), 'export const handler = async () => "ok";\n');
    const yaml = (init: string) =>
      `edition: 3.0.0\nname: x\nresources:\n  fn:\n    component: fc3\n    props:\n      code: ./dist\n      handler: index.handler\n      instanceLifecycleConfig:\n        initializer:\n          handler: ${init}\n`;
    writeFileSync(path.join(dir, 's.yaml'), yaml('index.initialize'));
    const bad = await runCli(['build', dir]);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /s\.yaml resources\.fn\.props\.instanceLifecycleConfig\.initializer\.handler index\.initialize: index\.js exports no function initialize \(it exports handler\)/,
    );
    writeFileSync(path.join(dir, 's.yaml'), yaml('main.initialize'));
    assert.match((await runCli(['build', dir])).stderr, /the bundle is index\.js, so it must read index\.initialize/);
    assert.equal((await runCli(['build', dir, '--no-config'])).code, 0, 'the check can be skipped');
    writeFileSync(path.join(dir, 'src/index.js'), 'export const handler = async () => "ok";\nexport const initialize = async () => {};\n');
    writeFileSync(path.join(dir, 's.yaml'), yaml('index.initialize'));
    const good = await runCli(['build', dir]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /every handler and initializer .*s\.yaml names: exported/);
    // what fc3 requires and this s.yaml lacks is said before s deploy finds it, without refusing the build
    assert.match(good.stderr, /^warning: .*s\.yaml: resources\.fn\.props\.region is required \(the fc3 component's schema/m);
    assert.match(good.stderr, /^warning: .*s\.yaml: resources\.fn\.props\.instanceLifecycleConfig\.initializer\.timeout is required/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
