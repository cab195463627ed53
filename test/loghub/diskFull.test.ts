// A real full disk: `serve` on a small tmpfs, filled by PutLogs until it answers
// ServerBusy, killed and restarted on the full disk, the tmpfs grown back without a restart, more
// writes, kill -9, restart: every acknowledged id reads back, once (a failed write leaves no torn
// bytes for recovery to cut, and writes after space returns are durable). Needs `mount` (CI runs as root); where it is not
// permitted the test says so and the injected sweep (storageFaults.test.ts) still runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../../src/client/index.js';
import { SlsServiceError } from '../../src/errors/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { startCli, type Cli } from '../helpers/cli.js';

const P = 'p-full';
const LS = 'store1';

function tryMount(dir: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
  }
}

async function serve(dir: string): Promise<{ cli: Cli; client: LogClient; endpoint: string }> {
  const cli = startCli(['serve', '--port', '0', '--data-dir', dir, '--quiet']);
  const line = await cli.waitFor((l) => l.startsWith('LogHub listening on '));
  const endpoint = line.slice('LogHub listening on '.length).trim();
  return { cli, endpoint, client: new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } }) };
}

async function killHard(s: { cli: Cli; client: LogClient }): Promise<void> {
  s.client.close();
  s.cli.child.kill('SIGKILL');
  await s.cli.exit;
}

const group = (id: string) => ({
  logs: [
    {
      time: 1_700_000_000,
      contents: [
        { key: 'id', value: id },
        { key: 'pad', value: randomBytes(1500).toString('base64') },
      ],
    },
  ],
  logTags: [],
});

async function readIds(client: LogClient): Promise<string[]> {
  const ids: string[] = [];
  let cursor = await client.getCursor({ project: P, logstore: LS, shardId: 0, from: 'begin' });
  for (;;) {
    const page = await client.pullLogs({ project: P, logstore: LS, shardId: 0, cursor, count: 100 });
    for (const g of page.groups) ids.push(g.value(0, 0));
    if (page.count === 0) return ids;
    cursor = page.nextCursor;
  }
}

test('a full disk answers ServerBusy, loses nothing acknowledged, and takes writes again once it grows', async (t) => {
  const mnt = mkdtempSync(path.join(os.tmpdir(), 'slst-tmpfs-'));
  const refused = tryMount(mnt);
  if (refused !== undefined) {
    rmSync(mnt, { recursive: true, force: true });
    t.skip(`mount -t tmpfs is not permitted here (${refused}); the injected fault sweep covers the store`);
    return;
  }
  const dir = path.join(mnt, 'data');
  const acked: string[] = [];
  try {
    let s = await serve(dir);
    await s.client.createProject({ project: P });
    await s.client.createLogStore({ project: P, logstore: LS, shardCount: 1 });
    let full: SlsServiceError | undefined;
    for (let i = 0; !full; i++) {
      try {
        await s.client.putLogs({ project: P, logstore: LS, logGroup: group(`a${i}`) });
        acked.push(`a${i}`);
      } catch (e) {
        full = e as SlsServiceError;
      }
    }
    assert.equal(full.code, 'ServerBusy', full.message);
    assert.equal(full.retriable, true);
    assert.match(full.message, /out of disk space \(ENOSPC/);
    // Still full: refused again, and said once in the log, without a stack trace.
    await assert.rejects(s.client.putLogs({ project: P, logstore: LS, logGroup: group('refused') }), /ServerBusy|out of disk/);
    const metrics = await (await fetch(`${s.endpoint}/metrics`)).text();
    assert.match(metrics, /sls_loghub_storage_errors_total\{errno="ENOSPC"\} [1-9]/);
    assert.equal(s.cli.stderr.filter((l) => l.includes('out of disk space')).length, 1, s.cli.stderr.join('\n'));
    assert.equal(s.cli.stderr.filter((l) => /^\s+at /.test(l)).length, 0, s.cli.stderr.join('\n'));
    // kill -9 on the full disk, start again on it: everything acknowledged is there.
    await killHard(s);
    s = await serve(dir);
    assert.deepEqual(await readIds(s.client), acked, 'after a restart on the full disk');
    // Space comes back without a restart: writes are taken at once, and kept.
    execFileSync('mount', ['-o', 'remount,size=8m', mnt]);
    for (let i = 0; i < 50; i++) {
      await s.client.putLogs({ project: P, logstore: LS, logGroup: group(`b${i}`) });
      acked.push(`b${i}`);
    }
    await killHard(s);
    s = await serve(dir);
    assert.deepEqual(await readIds(s.client), acked, 'after space came back and a kill -9');
    await killHard(s);
  } finally {
    execFileSync('umount', ['-l', mnt]);
    rmSync(mnt, { recursive: true, force: true });
  }
});
