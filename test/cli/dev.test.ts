// `sls-trigger dev` end to end: it processes data, stops cleanly on SIGINT, and a second run resumes
// each shard exactly at its last checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCli } from '../helpers/cli.js';

interface Rec {
  shard_id: number;
  begin_cursor: string;
  end_cursor: string;
  task_status: string;
  ingest_lines: number;
}

async function devRun(dataDir: string, wantTasks: number): Promise<Rec[]> {
  const cli = startCli(['dev', '--port', '0', '--data-dir', dataDir, '--interval', '1', '--rate', '40', '--json']);
  const recs: Rec[] = [];
  await cli.waitFor((line, s) => {
    if (s === 'stdout' && line.startsWith('{')) recs.push(JSON.parse(line) as Rec);
    return recs.filter((r) => r.task_status === 'Success' && r.ingest_lines > 0).length >= wantTasks;
  });
  cli.child.kill('SIGINT');
  assert.equal(await cli.exit, 0, cli.stderr.join('\n'));
  for (const line of cli.stdout.slice(recs.length)) if (line.startsWith('{')) recs.push(JSON.parse(line) as Rec);
  assert.ok(cli.stderr.some((l) => l.startsWith('stopped; checkpoints saved')));
  return recs;
}

test("dev processes the producer's logs and a second run resumes from the checkpoints", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'slst-dev-'));
  try {
    const first = await devRun(dataDir, 4);
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
