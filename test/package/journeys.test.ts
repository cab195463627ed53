// The path a new user walks after the tour, for every template, from the packed
// tarball: `init` → `npm install` → the template's own `npm test` → `npm run build` (which checks
// that the bundle exports what s.yaml names) → `sls-trigger dev --config s.yaml` (the template's own
// s.yaml; the function runs from dist/ with the handler and initializer names s.yaml gives, as FC
// would) until every shard has a task. A sink outside this machine (HEC, syslog, OSS) is
// pointed at a closed loopback port, as a user pointing it at a sink that is down would: those
// tasks may fail, and only with ECONNREFUSED.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCli, repoRoot } from '../helpers/cli.js';
import { listTemplates } from '../../src/scaffold/init.js';

let work = '';
let tarball = '';
/** the installed package's bin, as `npx sls-trigger` finds it */
let installedBin = '';

function sh(cmd: string, args: string[], cwd: string) {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT; // a template's own test run prints its own summary
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, env });
  return { code: r.status, out: String(r.stdout ?? ''), err: String(r.stderr ?? '') };
}

before(() => {
  assert.ok(existsSync(path.join(repoRoot, 'dist/index.js')), 'dist/ is built (npm test builds it first)');
  work = mkdtempSync(path.join(os.tmpdir(), 'slst-journey-'));
  const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--loglevel=error'], repoRoot);
  assert.equal(pack.code, 0, pack.err);
  tarball = path.join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  const prefix = path.join(work, 'installed');
  const r = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--prefix', prefix, tarball], work);
  assert.equal(r.code, 0, r.err);
  installedBin = path.join(prefix, 'node_modules/.bin/sls-trigger');
});
after(() => rmSync(work, { recursive: true, force: true }));

/** What a user whose sink is down would have in s.yaml: the sink on a closed loopback port. */
const OUTSIDE_SINKS: Record<string, (yaml: string) => string> = {
  'splunk-hec': (y) => y.replace(/endpoint: https:\/\/splunk\.example\.com:8088/, 'endpoint: https://127.0.0.1:1'),
  syslog: (y) => y.replace(/host: syslog\.example\.com\n(\s+)port: 6514/, 'host: 127.0.0.1\n$1port: 1'),
  'oss-shipper-csv': (y) => y.replace(/ossEndpoint: .*/, 'ossEndpoint: http://127.0.0.1:1'),
};

interface TaskLine {
  shard_id: number;
  task_status: string;
  error_message?: string;
}

for (const { name } of listTemplates()) {
  test(`template ${name}: init → install → its tests → build → dev under its own s.yaml`, { timeout: 240_000 }, async () => {
    const dir = path.join(work, name);
    const init = sh(installedBin, ['init', dir, '--template', name], work);
    assert.equal(init.code, 0, init.err);
    // from the tarball, where npm pack would have dropped a template's own .gitignore
    assert.deepEqual(readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n'), [
      'node_modules/',
      'dist/',
      '.sls-trigger/',
      '*.tgz',
      '',
    ]);
    const pkgPath = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { dependencies: Record<string, string> };
    pkg.dependencies['sls-trigger'] = `file:${tarball}`; // not on the registry yet
    writeFileSync(pkgPath, JSON.stringify(pkg, null, 2));
    for (const step of [['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], ['test'], ['run', 'build']]) {
      const r = sh('npm', step, dir);
      assert.equal(r.code, 0, `npm ${step[0]}: ${r.out}\n${r.err}`);
    }
    const yamlPath = path.join(dir, 's.yaml');
    if (OUTSIDE_SINKS[name]) writeFileSync(yamlPath, OUTSIDE_SINKS[name](readFileSync(yamlPath, 'utf8')));
    const dev = startCli(
      [
        'dev',
        '--config',
        's.yaml',
        '--port',
        '0',
        '--no-console',
        '--json',
        '--interval',
        '1',
        '--rate',
        '50',
        '--data-dir',
        path.join(dir, '.dev'),
      ],
      // splunk-hec's s.yaml reads its token from the environment, as its README says to set it.
      { cwd: dir, bin: path.join(dir, 'node_modules/.bin/sls-trigger'), env: { SPLUNK_HEC_TOKEN: 'journey-token' } },
    );
    try {
      const seen = new Map<number, TaskLine>();
      await dev.waitFor((line, stream) => {
        if (stream !== 'stdout' || !line.startsWith('{')) return false;
        const r = JSON.parse(line) as TaskLine;
        if (r.task_status === 'Success' || r.task_status === 'Failed') seen.set(r.shard_id, r);
        return seen.size === 2;
      });
      for (const r of seen.values()) {
        if (r.task_status === 'Success') continue;
        assert.ok(OUTSIDE_SINKS[name], `shard ${r.shard_id} failed: ${r.error_message}\n${dev.stderr.join('\n')}`);
        assert.match(r.error_message ?? '', /ECONNREFUSED/, `shard ${r.shard_id}: only the arranged failure`);
      }
    } finally {
      dev.child.kill('SIGTERM');
      await dev.exit;
    }
  });
}
