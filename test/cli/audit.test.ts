// `sls-trigger audit` as an operator runs it: after `run --once` every range is covered (exit 0);
// after a checkpoint reset skips data unseen, audit names that range, with its cursors and receive
// time, and exits 1; --json says the same for a script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { servedJob } from '../helpers/servedJob.js';

test('audit: covered after a run; a checkpoint reset past unseen data is a gap named with its cursors (exit 1)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-audit-'));
  const serve = startCli(['serve', '--port', '0', '--memory', '--quiet']);
  try {
    const endpoint = /listening on (\S+)/.exec(await serve.waitFor((l) => l.includes('LogHub listening on')))![1];
    const job = path.join(dir, 'job.json');
    const fn = fileURLToPath(new URL('../fixtures/functions/counting.ts', import.meta.url));
    writeFileSync(
      job,
      JSON.stringify(
        await servedJob(endpoint, 'audit-p', { type: 'local', module: fn, initializer: 'initialize' }, { jobName: 'audit-job' }),
      ),
    );
    const once = await runCli(['run', '-c', job, '--once', '--quiet']);
    assert.equal(once.code, 0, once.stderr);

    const covered = await runCli(['audit', '-c', job]);
    assert.equal(covered.code, 0, covered.stdout + covered.stderr);
    assert.match(covered.stdout, /^audit of job audit-job on audit-p\/src: 1 schedule record\(s\) in audit-p\/log$/m);
    assert.match(covered.stdout, /^shard 0 \(readwrite\) \[\S+, \S+\) 1 group\(s\) from its first record: 1 delivered — covered$/m);
    assert.match(covered.stdout, /^0 gap\(s\), 0 overlap\(s\) over 1 shard\(s\)$/m);

    const producer = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY });
    for (let i = 0; i < 3; i++)
      await producer.putLogs({
        project: 'audit-p',
        logstore: 'src',
        logGroup: { logs: [{ time: 1, contents: [{ key: 'n', value: `${i}` }] }], logTags: [] },
      });
    producer.close();
    const reset = await runCli(['checkpoint', 'reset', '-c', job, '--to', 'end', '--force']);
    assert.equal(reset.code, 0, reset.stderr);

    const gap = await runCli(['audit', '-c', job]);
    assert.equal(gap.code, 1);
    assert.match(
      gap.stdout,
      /^ {2}gap \[\S+, \S+\) 3 group\(s\) received from \d{4}-\d\d-\d\dT[\d:]+Z: no outcome recorded; after delivered by task \S+ at \S+; up to the checkpoint$/m,
    );
    assert.match(gap.stdout, /^1 gap\(s\), 0 overlap\(s\) over 1 shard\(s\)$/m);
    const json = await runCli(['audit', '-c', job, '--json']);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as {
      gaps: number;
      shards: { gaps: { groups: number; before?: unknown }[]; groups: { delivered: number } }[];
    };
    assert.deepEqual(
      [report.gaps, report.shards[0].gaps[0].groups, report.shards[0].gaps[0].before, report.shards[0].groups.delivered],
      [1, 3, undefined, 1],
    );
  } finally {
    serve.child.kill('SIGTERM');
    await serve.exit;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('audit without a job config says what it needs', async () => {
  const r = await runCli(['audit', '--endpoint', 'http://127.0.0.1:9', '--project', 'p', '--logstore', 'l', '--job', 'j']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /audit reads the job's schedule log: give --config \(its logConfig names the logstore\)/);
});
