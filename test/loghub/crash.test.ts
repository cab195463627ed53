// Durability: a LogHub child process under continuous PutLogs is killed with SIGKILL several times.
// After every restart each acknowledged group is readable, in order, exactly once, and nothing torn
// is served. Then direct corruption of segment files: the torn tail is cut on open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, appendFileSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { LogClient } from '../../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../../src/loghub/index.js';
import { FileHandles } from '../../src/loghub/store/fileHandles.js';
import { FileShardLog } from '../../src/loghub/store/fileShardLog.js';
import { compress, CompressType, decodeLogGroupListFast, encodeLogGroup } from '../../src/codec/index.js';

const here = path.dirname(new URL(import.meta.url).pathname);

async function spawnHub(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../helpers/hubProcess.ts'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rl = readline.createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`hub exited early with ${code}`)));
  });
  return { child, port: (JSON.parse(line) as { port: number }).port };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function readAll(client: LogClient, project: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = await client.getCursor({ project, logstore: 'crash', shardId: 0, from: 'begin' });
  for (;;) {
    const r = await client.pullLogs({ project, logstore: 'crash', shardId: 0, cursor, count: 1000 });
    for (const g of r.groups) ids.push(g.value(0, 0));
    if (r.count === 0) return ids;
    cursor = r.nextCursor;
  }
}

test('acknowledged PutLogs survive SIGKILL, in order, without duplicates', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-crash-'));
  const project = 'crash-proj';
  const acked: string[][] = [[], [], [], []];
  let next = [0, 0, 0, 0];
  try {
    for (let round = 0; round < 4; round++) {
      const { child, port } = await spawnHub(dir);
      const client = new LogClient({
        endpoint: `http://127.0.0.1:${port}`,
        credentials: DEFAULT_ACCESS_KEY,
        retry: { retries: 0 },
        timeoutMs: 5000,
      });
      if (round === 0) {
        await client.createProject({ project });
        await client.createLogStore({ project, logstore: 'crash', shardCount: 1 });
      }
      const before = await readAll(client, project);
      for (const w of acked) for (const id of w) assert.ok(before.includes(id), `acked ${id} lost`);
      assert.equal(new Set(before).size, before.length, 'no duplicates');
      // Four writers, each sequential, until the kill lands in the middle of their traffic.
      let stop = false;
      const target = (round + 1) * 120;
      const ackedCount = () => acked.reduce((n, a) => n + a.length, 0);
      let enoughAcked!: () => void;
      const enough = new Promise<void>((r) => (enoughAcked = r));
      const writers = acked.map(async (mine, w) => {
        while (!stop) {
          const id = `w${w}-${String(next[w]++).padStart(6, '0')}`;
          try {
            await client.putLogs({
              project,
              logstore: 'crash',
              logGroup: encodeLogGroup({
                logs: [
                  {
                    time: 1,
                    contents: [
                      { key: 'id', value: id },
                      { key: 'pad', value: 'x'.repeat(300) },
                    ],
                  },
                ],
                logTags: [],
              }),
            });
            mine.push(id);
            if (ackedCount() >= target) enoughAcked();
          } catch {
            return;
          }
        }
      });
      // the kill waits for the acknowledgements themselves; writers that all stop first fail the test
      const stoppedEarly = Promise.all(writers).then(() => {
        throw new Error(`round ${round}: every writer stopped after ${ackedCount()} of ${target} acknowledgements`);
      });
      stoppedEarly.catch(() => {});
      try {
        await Promise.race([enough, stoppedEarly]);
      } catch (e) {
        await killed(child);
        throw e;
      }
      await killed(child);
      stop = true;
      await Promise.all(writers);
      client.close();
    }
    const { child, port } = await spawnHub(dir);
    const client = new LogClient({ endpoint: `http://127.0.0.1:${port}`, credentials: DEFAULT_ACCESS_KEY, retry: { retries: 0 } });
    const all = await readAll(client, project);
    client.close();
    await killed(child);
    assert.equal(new Set(all).size, all.length, 'no duplicated record');
    for (let w = 0; w < 4; w++) {
      const seen = all.filter((id) => id.startsWith(`w${w}-`));
      assert.deepEqual([...seen].sort(), seen, `writer ${w} order kept`);
      for (const id of acked[w]) assert.ok(seen.includes(id), `acked ${id} readable`);
    }
    assert.ok(acked.every((a) => a.length > 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Appends group i as a raw frame (even i) or as an lz4 record (odd i), so both kinds get torn. */
async function appendNumbered(log: FileShardLog, i: number): Promise<void> {
  const g = Buffer.from(encodeLogGroup({ logs: [{ time: i, contents: [{ key: 'i', value: String(i) }] }], logTags: [] }));
  await log.append([g], 100 + i, [i % 2 ? compress(g, CompressType.Lz4) : undefined]);
}

async function writeTen(dir: string): Promise<void> {
  const log = await FileShardLog.open(dir, { segmentBytes: 1 << 20, fsync: false, handles: new FileHandles(4) });
  for (let i = 0; i < 10; i++) await appendNumbered(log, i);
  await log.close();
}

async function values(dir: string, warnings: string[]): Promise<string[]> {
  const log = await FileShardLog.open(dir, {
    segmentBytes: 1 << 20,
    fsync: false,
    handles: new FileHandles(4),
    onWarning: (m) => warnings.push(m),
  });
  const r = await log.read(log.begin(), 100, log.end());
  await log.close();
  return decodeLogGroupListFast(r.body()).map((g) => g.value(0, 0));
}

test('torn tails are cut on open, never served', async () => {
  const cases: Array<[string, (files: { index: string; data: string }) => void, string[]]> = [
    ['half an index entry', (f) => appendFileSync(f.index, Buffer.alloc(10, 7)), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']],
    [
      'data bytes past the last entry',
      (f) => appendFileSync(f.data, Buffer.from([0x0a, 0x30, 1, 2])),
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ],
    [
      'a flipped byte in the last record',
      (f) => {
        const d = readFileSync(f.data);
        d[d.length - 1] ^= 0xff;
        writeFileSync(f.data, d);
      },
      ['0', '1', '2', '3', '4', '5', '6', '7', '8'],
    ],
    [
      'a truncated data file',
      (f) => writeFileSync(f.data, readFileSync(f.data).subarray(0, statSync(f.data).size - 3)),
      ['0', '1', '2', '3', '4', '5', '6', '7', '8'],
    ],
  ];
  for (const [name, corrupt, expected] of cases) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-torn-'));
    try {
      await writeTen(dir);
      const base = readdirSync(dir)
        .find((n) => n.endsWith('.index'))!
        .slice(0, 20);
      corrupt({ index: path.join(dir, `${base}.index`), data: path.join(dir, `${base}.data`) });
      const warnings: string[] = [];
      assert.deepEqual(await values(dir, warnings), expected, name);
      assert.equal(warnings.length, 1, `${name}: one warning`);
      assert.deepEqual(await values(dir, []), expected, `${name}: stable after the cut`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a log spread over many segments reopens intact; only the torn last one is cut', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slst-segs-'));
  try {
    const opts = { segmentBytes: 20, fsync: false, handles: new FileHandles(4) };
    const log = await FileShardLog.open(dir, opts);
    for (let i = 0; i < 10; i++) await appendNumbered(log, i);
    await log.close();
    const segments = readdirSync(dir)
      .filter((n) => n.endsWith('.data'))
      .sort();
    assert.ok(segments.length >= 5, `several segments (${segments.length})`);
    appendFileSync(path.join(dir, segments[segments.length - 1]), Buffer.from([0x0a, 0x7f]));
    const warnings: string[] = [];
    const again = await FileShardLog.open(dir, { ...opts, onWarning: (m) => warnings.push(m) });
    const r = await again.read(again.begin(), 100, again.end());
    assert.deepEqual(
      decodeLogGroupListFast(r.body()).map((g) => g.value(0, 0)),
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    );
    assert.equal(again.timeOf(9), 109);
    assert.equal(warnings.length, 1);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
