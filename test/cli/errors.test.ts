// Errors that say where: a bad config names its file, the field and the value in
// words (not a regex, not every branch of a union); a mistyped flag prints one line and where the
// help is; a refused loopback endpoint says what to check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'slst-errors-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function job(name: string, change: (c: Record<string, unknown>) => void): string {
  const config: Record<string, unknown> = {
    endpoint: 'http://127.0.0.1:1',
    project: 'p',
    sourceConfig: { logstore: 'source' },
    jobConfig: { triggerInterval: 60 },
    logConfig: { project: 'p', logstore: 'trigger-log' },
    target: { type: 'local', module: 'index.js' },
  };
  change(config);
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const stderrLines = (s: string) => s.split('\n').filter((l) => l !== '' && !l.startsWith('warning: lz4'));

test('a bad config names the file, the field and the value, in words', async () => {
  const cases: Array<[string, (c: Record<string, unknown>) => void, string]> = [
    [
      'interval',
      (c) => (c.jobConfig = { triggerInterval: 'abc' }),
      'jobConfig.triggerInterval must be a whole number of seconds (1..600), got "abc"',
    ],
    ['range', (c) => (c.jobConfig = { triggerInterval: 6000 }), 'jobConfig.triggerInterval must be a whole number in 1..600, got 6000'],
    ['concurrency', (c) => (c.concurrency = 0), 'concurrency must be a whole number in 1..256, got 0'],
    ['target', (c) => (c.target = { type: 'lambda', functionName: 'f' }), 'target.type must be one of "local", "fc", "fc3", got "lambda"'],
    ['fc3', (c) => (c.target = { type: 'fc3', region: 'cn-hangzhou' }), 'target.accountId is required; target.functionName is required'],
    [
      'names',
      (c) => Object.assign(c, { jobName: 'a b', onRetriesExhausted: 'drop' }),
      'jobName must be 1 to 128 letters, digits, _ or -, got "a b"; onRetriesExhausted must be one of "block", "skip", "deadLetter", got "drop"',
    ],
  ];
  for (const [name, change, problem] of cases) {
    const file = job(name, change);
    const r = await runCli(['run', '--config', file, '--once']);
    assert.equal(r.code, 1, name);
    assert.deepEqual(stderrLines(r.stderr), [`error: ${file}: trigger config is invalid: ${problem}`]);
  }
});

test('a mistyped flag or command prints one line and where the help is, not the whole help', async () => {
  const flag = await runCli(['run', '--config', 'x.json', '--endpont', 'http://127.0.0.1:1']);
  assert.equal(flag.code, 1);
  assert.deepEqual(stderrLines(flag.stderr), [
    "error: unknown option '--endpont'",
    '(Did you mean --endpoint?)',
    '(see sls-trigger run --help)',
  ]);
  const nested = await runCli(['checkpoint', 'reset', '--project', 'p']);
  assert.deepEqual(stderrLines(nested.stderr), [
    "error: required option '--to <time>' not specified",
    '(see sls-trigger checkpoint reset --help)',
  ]);
  const command = await runCli(['stauts']);
  assert.equal(command.code, 1);
  assert.deepEqual(stderrLines(command.stderr), ["error: unknown command 'stauts'", '(Did you mean status?)', '(see sls-trigger --help)']);
});

test('a refused loopback endpoint says what to check', async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const r = await runCli(['status', '--endpoint', `http://127.0.0.1:${port}`, '--project', 'p', '--logstore', 's', '--job', 'j']);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port} \\(nothing listens on port ${port}: is sls-trigger dev or serve running there\\?\\)`),
  );
});
