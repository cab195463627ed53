// Every s.yaml (root and templates) stays valid for the fc3 component and for FC's log trigger, and
// sls-trigger reads the same job from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSYaml, jobFromSYaml, parseJobConfig } from '../../src/trigger/index.js';
import { repoRoot } from '../helpers/cli.js';
import { compile } from '../../src/validate/schema.js';

const files = ['s.yaml', ...readdirSync(path.join(repoRoot, 'template')).map((t) => path.join('template', t, 's.yaml'))];

for (const f of files) {
  test(`${f} is a valid fc3 s.yaml with a log trigger the runtime reads`, () => {
    const file = path.join(repoRoot, f);
    assert.deepEqual(checkSYaml(file, { env: { SPLUNK_HEC_TOKEN: 'x' } }), []);
    const job = parseJobConfig({ ...jobFromSYaml(file, { env: {} }), endpoint: 'http://127.0.0.1:1' });
    assert.equal(job.project, 'sls-trigger-demo');
    assert.equal(job.logstore, 'nginx-access');
    assert.ok(job.triggerInterval >= 3 && job.triggerInterval <= 600);
    assert.equal(job.target.type, 'local');
    assert.match(job.target.type === 'local' ? job.target.module : '', /src\/index\.ts$/);
  });
}

test('the check names what is wrong', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-syaml-'));
  try {
    const bad = readFileSync(path.join(repoRoot, 's.yaml'), 'utf8')
      .replace('triggerInterval: 10', 'triggerInterval: 1')
      .replace('logstore: etl-trigger-log', 'logstore: nginx-access')
      .replace('memorySize: 512', 'memorySize: 500');
    const file = path.join(dir, 's.yaml');
    writeFileSync(file, bad);
    const problems = checkSYaml(file);
    assert.ok(
      problems.some((p) => /memorySize must be multiple of 64/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => /triggerInterval/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => /logConfig.logstore must differ/.test(p)),
      problems.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an ${env("X")} whose variable is unset is said once (read as empty, as Serverless Devs does), and the template names it again', () => {
  const file = path.join(repoRoot, 'template/splunk-hec/s.yaml');
  const said: string[] = [];
  const job = jobFromSYaml(file, { env: {}, onWarning: (m) => said.push(m) });
  assert.deepEqual(said, [
    `${file}: \${env('SPLUNK_HEC_TOKEN')} not set in the environment: read as empty (a field holding only that has no value: null)`,
  ]);
  const parameter = job.functionParameter as { hec: { token: unknown } };
  assert.equal(parameter.hec.token, null);
  // what the function then says at every task: the same variable, not only a type
  const schema = JSON.parse(readFileSync(path.join(repoRoot, 'template/splunk-hec/src/parameter.schema.json'), 'utf8')) as object;
  assert.deepEqual(compile(schema, 'functionParameter').check(parameter), [
    'hec.token must be the HEC token (the s.yaml reads it from SPLUNK_HEC_TOKEN), got null',
  ]);
  said.length = 0;
  jobFromSYaml(file, { env: { SPLUNK_HEC_TOKEN: 't' }, onWarning: (m) => said.push(m) });
  assert.deepEqual(said, []);
});

test('a field an FC log trigger does not have is refused by name, not ignored (sls-trigger options belong in a JSON job config)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-syaml-'));
  try {
    const file = path.join(dir, 's.yaml');
    const text = readFileSync(path.join(repoRoot, 's.yaml'), 'utf8');
    writeFileSync(
      file,
      text
        .replace(/^( +)enable: true$/m, '$1enable: true\n$1pollIntervalMs: 50')
        .replace(/^( +)maxRetryTime: 3$/m, '$1maxRetryTime: 3\n$1bisect: true'),
    );
    assert.throws(
      () => jobFromSYaml(file, { env: {} }),
      (e: Error) => {
        assert.match(e.message, /triggerConfig: pollIntervalMs, jobConfig\.bisect are not fields of an FC log trigger/);
        assert.match(e.message, /go in a JSON job config for run/);
        return true;
      },
    );
    writeFileSync(file, text);
    assert.equal(jobFromSYaml(file, { env: {} }).pollIntervalMs, undefined, 'the file as FC knows it still loads');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
