// --log-format json: every line `serve` and `run` write on stderr is one JSON object a collector can
// parse ({time, level, message} plus the job, the shard, the task), from the start banner through
// the tasks to the shutdown, and an error before the job starts too. Text stays as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTerminal } from '../../src/cli/terminal.js';
import { runCli, startCli, type Cli } from '../helpers/cli.js';
import { servedJob } from '../helpers/servedJob.js';

type Line = Record<string, unknown> & { time: string; level: string; message: string };
const parsed = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);

test('serve and run in json: every stderr line an object with time, level, message, and the task fields', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-logfmt-'));
  const serve = startCli(['serve', '--port', '0', '--memory', '--quiet', '--log-format', 'json']);
  let run: Cli | undefined;
  try {
    const banner = JSON.parse(await serve.waitFor((l) => l.includes('LogHub listening on'))) as Line;
    assert.equal(banner.level, 'info');
    assert.match(banner.message, /^LogHub listening on http:\/\/127\.0\.0\.1:\d+$/);
    const endpoint = banner.endpoint as string;
    const job = path.join(dir, 'job.json');
    const fn = fileURLToPath(new URL('../fixtures/functions/counting.ts', import.meta.url));
    writeFileSync(
      job,
      JSON.stringify(await servedJob(endpoint, 'fmt-p', { type: 'local', module: fn, initializer: 'initialize' }, { jobName: 'fmt-job' })),
    );
    run = startCli(['run', '-c', job, '--quiet', '--log-format', 'json']);
    const task = JSON.parse(await run.waitFor((l) => l.includes('"status":"Success"'))) as Line;
    assert.deepEqual(
      [task.level, task.job, task.shard, task.status, task.ingestLines, typeof task.taskId, typeof task.requestId],
      ['info', 'fmt-job', 0, 'Success', 1, 'string', 'string'],
    );
    assert.match(task.message, /^task shard=0 \[…\d+, …\d+\) lines=1 /);
    assert.ok(Array.isArray(task.logs));
    assert.ok(!Number.isNaN(Date.parse(task.time)));
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0);
    const lines = parsed(run.stderr); // throws on any line that is not JSON
    assert.match(lines[0].message, /^job fmt-job: fmt-p\/src every 60s -> \S+ \(consumer \S+\)$/);
    assert.deepEqual([lines[0].source, typeof lines[0].consumer], ['fmt-p/src', 'string']);
    assert.deepEqual(
      lines.filter((l) => l.signal).map((l) => [l.level, l.message, l.job]),
      [['info', 'SIGTERM: shutting down...', 'fmt-job']],
    );
    for (const l of lines) assert.ok(['info', 'warn', 'error'].includes(l.level));
  } finally {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    serve.child.kill('SIGTERM');
    await serve.exit;
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(parsed(serve.stderr).length >= 2, 'serve: the banner and the shutdown, each an object');
});

test('an error before the job starts is a JSON line too; text output is unchanged', async () => {
  const missing = await runCli(['run', '-c', '/nonexistent/job.json', '--log-format', 'json']);
  assert.equal(missing.code, 1);
  const [line] = parsed(missing.stderr.split('\n').filter((l) => l.startsWith('{')));
  assert.equal(line.level, 'error');
  assert.match(line.message, /\/nonexistent\/job\.json/);
  assert.doesNotMatch(line.message, /^error: /);
  const out: string[] = [];
  const text = createTerminal('text', { job: 'j' }, { write: (s: string) => out.push(s) });
  text.line('warn', 'warning: something');
  text.line('info', 'task shard=0 …\n  | a log line');
  assert.deepEqual(out, ['warning: something\n', 'task shard=0 …\n  | a log line\n']);
  const bad = await runCli(['run', '-c', 'x.json', '--log-format', 'yaml']);
  assert.match(bad.stderr, /option '--log-format <format>' argument 'yaml' is invalid\. Allowed choices are text, json\./);
});
