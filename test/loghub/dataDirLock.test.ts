// The data directory belongs to one process: a second `serve` or `dev` on the same
// directory refuses to start, naming the directory and the holder's pid; a kill -9 of the holder
// leaves no stale lock, so no second process can sweep the first's logstores from meta.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirLockedError, startLogHub } from '../../src/loghub/index.js';
import { runCli, startCli } from '../helpers/cli.js';

const listening = (l: string) => l.startsWith('LogHub listening on ');

test('a second serve on one data directory refuses; a start after kill -9 of the first succeeds', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-lock-'));
  try {
    const first = startCli(['serve', '--port', '0', '--data-dir', dir, '--quiet']);
    await first.waitFor(listening);
    const second = await runCli(['serve', '--port', '0', '--data-dir', dir, '--quiet']);
    assert.equal(second.code, 1, second.stderr);
    assert.ok(
      second.stderr.includes(`data directory ${dir} is in use by another sls-trigger process (pid ${first.child.pid})`),
      second.stderr,
    );
    assert.doesNotMatch(second.stderr, /\n\s+at /, 'a sentence, not a stack trace');
    first.child.kill('SIGKILL');
    await first.exit;
    const third = startCli(['serve', '--port', '0', '--data-dir', dir, '--quiet']);
    await third.waitFor(listening);
    third.child.kill('SIGTERM');
    assert.equal(await third.exit, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two LogHubs in one process on one directory: the second is refused until the first closes', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-lock-'));
  try {
    const a = await startLogHub({ dataDir: dir, ttlIntervalMs: 0 });
    await assert.rejects(startLogHub({ dataDir: dir, ttlIntervalMs: 0 }), (e: DataDirLockedError) => {
      assert.equal(e.dataDir, dir);
      assert.equal(e.holderPid, process.pid);
      return true;
    });
    await a.close();
    const b = await startLogHub({ dataDir: dir, ttlIntervalMs: 0 });
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
