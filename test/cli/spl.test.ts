// SPL from the command line, as a user tries a statement before putting it in a function:
// `preview --spl` shows what it keeps (and how much it scanned), `replay --spl` runs a createHandler
// function over a real range pulled through it, and a bad statement says where it is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { repoRoot, runCli, startCli } from '../helpers/cli.js';

const FUNCTION = (runtime: string, out: string) => `
import { appendFileSync } from 'node:fs';
import { createHandler } from ${JSON.stringify(runtime)};
export const handler = createHandler(async (batch) => {
  for (const g of batch.groups) for (let i = 0; i < g.logCount; i++) appendFileSync(${JSON.stringify(out)}, JSON.stringify(g.log(i).contents) + '\\n');
  return true;
}, { credentials: { accessKeyId: 'sls-trigger-local', accessKeySecret: 'sls-trigger-local-secret' } });
`;

test('preview --spl and replay --spl: only what the statement keeps; a bad one names its line and column', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-spl-cli-'));
  const serve = startCli(['serve', '--port', '0', '--memory', '--quiet']);
  try {
    const endpoint = /listening on (\S+)/.exec(await serve.waitFor((l) => l.includes('LogHub listening on')))![1];
    const c = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY });
    await c.createProject({ project: 'splcli' });
    await c.createLogStore({ project: 'splcli', logstore: 'web', shardCount: 1 });
    for (const [i, status] of ['200', '500', '200', '503'].entries())
      await c.putLogs({
        project: 'splcli',
        logstore: 'web',
        logGroup: {
          logs: [
            {
              time: 1700000000 + i,
              contents: [
                { key: 'n', value: String(i) },
                { key: 'status', value: status },
              ],
            },
          ],
          logTags: [],
        },
      });
    c.close();
    const where = ['--endpoint', endpoint, '--project', 'splcli', '--logstore', 'web'];
    const spl = "* | where status like '5%' | project n";

    const preview = await runCli(['preview', ...where, '--spl', spl, '--json']);
    assert.equal(preview.code, 0, preview.stderr);
    assert.deepEqual(
      preview.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).logs[0].contents),
      [[{ key: 'n', value: '1' }], [{ key: 'n', value: '3' }]],
    );
    assert.match(preview.stderr, /^shard 0: 2 log groups, 2 log lines from begin through SPL \(4 lines scanned\)$/m);

    const out = path.join(dir, 'seen.jsonl');
    writeFileSync(path.join(dir, 'fn.mjs'), FUNCTION(path.join(repoRoot, 'dist/runtime/index.js'), out));
    const replay = await runCli(['replay', ...where, '--module', path.join(dir, 'fn.mjs'), '--spl', spl, '--json']);
    assert.equal(replay.code, 0, replay.stderr);
    assert.deepEqual(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [[{ key: 'n', value: '1' }], [{ key: 'n', value: '3' }]],
    );
    const result = JSON.parse(replay.stdout.trim().split('\n')[0]).result;
    assert.deepEqual([result.ingestLines, result.spl], [2, { scannedLines: 4, matchedLines: 2, failedLines: 0 }]);

    const bad = await runCli(['preview', ...where, '--spl', '* | where status = 500 |']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /SPL: expected an instruction, found the end at line 1, column 25/);
  } finally {
    serve.child.kill('SIGTERM');
    await serve.exit;
    rmSync(dir, { recursive: true, force: true });
  }
});
