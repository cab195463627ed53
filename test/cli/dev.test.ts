// `sls-trigger dev` end to end: it processes data, serves its console and metrics (and `console`
// reads the same job from its LogHub), stops cleanly on SIGINT, and a second run resumes each shard
// exactly at its last checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCli } from '../helpers/cli.js';
import { decodeCursor } from '../../src/codec/index.js';

interface Rec {
  shard_id: number;
  begin_cursor: string;
  end_cursor: string;
  task_status: string;
  ingest_lines: number;
}

/** The console `dev` printed (job, both registries' metrics), and a standalone `console` over dev's LogHub. */
async function checkConsoles(cli: ReturnType<typeof startCli>): Promise<void> {
  const url = (await cli.waitFor((l) => l.startsWith('console  http://'))).split(/\s+/)[1];
  const overview = (await (await fetch(new URL('/api/overview', url))).json()) as {
    mode: string;
    job: { project: string };
    shards: unknown[];
  };
  assert.deepEqual([overview.mode, overview.job.project, overview.shards.length], ['live', 'sls-trigger-demo', 2]);
  const metrics = await (await fetch(new URL('/metrics', url))).text();
  assert.match(metrics, /^sls_trigger_polls_total\{trigger_job="[0-9a-f]{40}",logstore="sls-trigger-demo\/[a-z0-9-]+"\} \d+$/m);
  assert.match(metrics, /^sls_loghub_requests_total\{action="PutLogs",code="OK"\} \d+$/m);
  const endpoint = (await cli.waitFor((l) => l.startsWith('LogHub   http://'))).split(/\s+/)[1];
  const standalone = startCli(['console', '-c', 's.yaml', '--endpoint', endpoint, '--listen', '127.0.0.1:0']);
  try {
    const own = (await standalone.waitFor((l) => l.startsWith('console  http://'))).split(/\s+/)[1];
    const o = (await (await fetch(new URL('/api/overview', own))).json()) as { mode: string; shards: Array<{ owner: string }> };
    assert.deepEqual([o.mode, o.shards.map((sh) => sh.owner)], ['standalone', ['dev', 'dev']]);
  } finally {
    standalone.child.kill('SIGINT');
    await standalone.exit;
  }
}

async function devRun(dataDir: string, wantTasks: number, consoles = false): Promise<Rec[]> {
  const cli = startCli([
    'dev',
    '--port',
    '0',
    '--console',
    '127.0.0.1:0',
    '--data-dir',
    dataDir,
    '--interval',
    '1',
    '--rate',
    '40',
    '--json',
  ]);
  const recs: Rec[] = [];
  await cli.waitFor((line, s) => {
    if (s === 'stdout' && line.startsWith('{')) recs.push(JSON.parse(line) as Rec);
    return recs.filter((r) => r.task_status === 'Success' && r.ingest_lines > 0).length >= wantTasks;
  });
  if (consoles) await checkConsoles(cli);
  cli.child.kill('SIGINT');
  assert.equal(await cli.exit, 0, cli.stderr.join('\n'));
  for (const line of cli.stdout.slice(recs.length)) if (line.startsWith('{')) recs.push(JSON.parse(line) as Rec);
  assert.ok(cli.stderr.some((l) => l.startsWith('stopped; checkpoints saved')));
  return recs;
}

test("dev processes the producer's logs and a second run resumes from the checkpoints", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'slst-dev-'));
  try {
    const first = await devRun(dataDir, 4, true);
    assert.ok(first.every((r) => r.task_status === 'Success'));
    const lastEnd = new Map<number, string>();
    for (const r of first) lastEnd.set(r.shard_id, r.end_cursor);
    const second = await devRun(dataDir, 2);
    for (const [shard, end] of lastEnd) {
      const firstAgain = second.find((r) => r.shard_id === shard);
      if (firstAgain) assert.equal(firstAgain.begin_cursor, end, `shard ${shard} resumes at its checkpoint`);
    }
    assert.ok(second.some((r) => lastEnd.has(r.shard_id)));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('dev --poll-interval (with --pipelining, --batching-window, --max-batch-groups) runs the s.yaml trigger in low-latency mode: small ranges, back to back on each shard', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'slst-dev-ll-'));
  const cli = startCli([
    'dev',
    '--port',
    '0',
    '--no-console',
    '--data-dir',
    dataDir,
    '--poll-interval',
    '50',
    '--idle-poll-interval',
    '200',
    '--pipelining',
    '8',
    '--batching-window',
    '2500',
    '--max-batch-groups',
    '1',
    '--rate',
    '40',
    '--json',
  ]);
  try {
    await cli.waitFor(
      (l) =>
        l.startsWith('trigger  job ') &&
        l.includes('polls every 50 ms (idle up to 200 ms), gathers 2500 ms, at most 1 group a task  pipelining 8'),
    );
    const recs: Rec[] = [];
    await cli.waitFor((line, s) => {
      if (s === 'stdout' && line.startsWith('{')) recs.push(JSON.parse(line) as Rec);
      return recs.filter((r) => r.task_status === 'Success' && r.ingest_lines > 0).length >= 6;
    });
    cli.child.kill('SIGINT');
    assert.equal(await cli.exit, 0, cli.stderr.join('\n'));
    for (const shard of new Set(recs.map((r) => r.shard_id))) {
      const mine = recs.filter((r) => r.shard_id === shard);
      for (let i = 1; i < mine.length; i++)
        assert.equal(mine[i].begin_cursor, mine[i - 1].end_cursor, `shard ${shard}: no gap, no overlap`);
      for (const r of mine.filter((x) => x.task_status === 'Success'))
        assert.equal(
          decodeCursor(r.end_cursor) - decodeCursor(r.begin_cursor),
          1n,
          '--max-batch-groups 1: one group a task (of the 2 or 3 a 2.5 s window gathers: the producer writes 2 groups a second)',
        );
    }
  } finally {
    if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
