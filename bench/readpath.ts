// bench/readpath: one createHandler invocation over a large range (>= 100 MB raw nginx-like logs):
// PullLogs + lz4 + decode + processData touching every key and value. MB/s of raw data per core of
// the handler process (the LogHub runs in a child process, so its CPU is not counted), side by side
// with the official Node SDK (aliyun-sdk batchGetLogs; @alicloud/log has no PullLogs) reading and
// touching the same range in the same run, and with protobufjs decoding the same bytes in memory
// (decode only: the machine-independent ratio).
// Usage: tsx bench/readpath.ts [--json] [--mb 100] [--batch 100 (groups per pull)] [--no-sdk] [--lz4 js|native]
import './lz4Flag.js'; // first: may select the lz4 codec before the codec loads
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { decodeLogGroupReference, encodeLogGroup, encodeLogGroupList, LogGroupListType, lz4Implementation } from '../src/codec/index.js';
import { LogClient } from '../src/client/index.js';
import { DEFAULT_ACCESS_KEY } from '../src/loghub/index.js';
import { createHandler } from '../src/runtime/index.js';
import { nginxGroup, seededRandom } from '../src/sample/nginx.js';
import { collectGarbage, numberFlag, report, wantsJson } from './args.js';

/** READPATH_PROFILE=<file>: a CPU profile of the handler invocation alone. */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.start');
  return async (file) => {
    const { profile } = await s.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    s.disconnect();
  };
}

const targetMb = numberFlag('mb', 100);
const batchSize = numberFlag('batch', 100);
const withSdk = !process.argv.includes('--no-sdk');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-read-'));
const bin = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'bin', 'sls-trigger.js');
const hub = spawn(process.execPath, [bin, 'serve', '--port', '0', '--quiet', '--no-fsync', '--data-dir', dir], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
const endpoint = await new Promise<string>((resolve) => {
  readline.createInterface({ input: hub.stderr! }).on('line', (l) => {
    if (l.startsWith('LogHub listening on ')) resolve(l.slice('LogHub listening on '.length));
  });
});
const port = Number(new URL(endpoint).port);
const client = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY });
const P = { project: 'bench-read', logstore: 'nginx' };

try {
  await client.createProject({ project: P.project });
  await client.createLogStore({ ...P, shardCount: 1 });
  const rnd = seededRandom(11);
  const distinct = Array.from({ length: 24 }, (_, i) =>
    Buffer.from(encodeLogGroup(nginxGroup(rnd, { logs: 1000, time: 1_700_000_000 + i }))),
  );
  let raw = 0;
  let groups = 0;
  const begin = await client.getCursor({ ...P, shardId: 0, from: 'begin' });
  while (raw < targetMb * 1024 * 1024) {
    const g = distinct[groups % distinct.length];
    await client.putLogs({ ...P, logGroup: g });
    raw += g.length;
    groups++;
  }
  const end = await client.getCursor({ ...P, shardId: 0, from: 'end' });
  const mb = raw / (1024 * 1024);

  // ours: one handler invocation over [begin, end)
  let touched = 0;
  const handler = createHandler(
    (batch) => {
      for (const g of batch.groups) {
        for (let i = 0; i < g.logCount; i++) {
          touched += g.time(i);
          for (let j = 0, n = g.fieldCount(i); j < n; j++) touched += g.key(i, j).length + g.value(i, j).length;
        }
      }
      return true;
    },
    { batchSize },
  );
  const event = {
    source: { endpoint, projectName: P.project, logstoreName: P.logstore, shardId: 0, beginCursor: begin, endCursor: end },
    parameter: {},
    jobName: 'bench',
    taskId: 'bench',
    cursorTime: 0,
  };
  const measure = async (fn: () => Promise<void>) => {
    collectGarbage();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    return { wall, cpu: (c.user + c.system) / 1e6 };
  };
  let result = { ingestLines: 0 };
  const profile = process.env.READPATH_PROFILE ? await startProfile() : undefined;
  // best of three invocations over the whole range (the baselines below are best of three too)
  let ours = { wall: Infinity, cpu: Infinity };
  for (let pass = 0; pass < 3; pass++) {
    const run = await measure(async () => {
      result = await handler(Buffer.from(JSON.stringify(event)), { requestId: 'b', credentials: DEFAULT_ACCESS_KEY });
    });
    if (run.cpu < ours.cpu) ours = run;
    if (pass === 0) await profile?.(process.env.READPATH_PROFILE!);
  }

  // the official SDK: aliyun-sdk batchGetLogs (it asks for an uncompressed body and decodes with pomelo-protobuf)
  const ALY = createRequire(import.meta.url)('aliyun-sdk');
  const sls = new ALY.SLS({
    accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId,
    secretAccessKey: DEFAULT_ACCESS_KEY.accessKeySecret,
    endpoint: 'http://localhost',
    apiVersion: '2015-06-01',
    httpOptions: { host: '127.0.0.1', port, timeout: 120_000 },
  });
  const batchGet = promisify(sls.batchGetLogs.bind(sls)) as (p: object) => Promise<{
    headers: Record<string, string>;
    body: { logGroupList?: Array<{ logs: Array<{ time: number; contents: Array<{ key: string; value: string }> }> }> };
  }>;
  let sdkLogs = 0;
  let sdk = { wall: Infinity, cpu: Infinity };
  for (let pass = 0; pass < (withSdk ? 3 : 0); pass++) {
    sdkLogs = 0;
    const run = await measure(async () => {
      for (let cursor = begin; cursor !== end;) {
        const r = await batchGet({ projectName: P.project, logStoreName: P.logstore, ShardId: 0, cursor, count: 100, end_cursor: end });
        for (const g of r.body.logGroupList ?? []) {
          for (const log of g.logs) {
            sdkLogs++;
            touched += log.time;
            for (const c of log.contents) touched += c.key.length + c.value.length;
          }
        }
        const next = r.headers['x-log-cursor'];
        if (!next || next === cursor) break;
        cursor = next;
      }
    });
    if (run.cpu < sdk.cpu) sdk = run;
  }
  if (withSdk && sdkLogs !== result.ingestLines) throw new Error(`the SDK read ${sdkLogs} logs, ours ${result.ingestLines}`);

  // decode-only baseline: protobufjs decoding the same bytes as PullLogs bodies (LogGroupLists of
  // the handler's page size, uncompressed, in memory: no pull, no lz4), touching every field as
  // ours does; best of three passes
  type PbList = { logGroupList: Array<{ logs: Array<{ time: number; contents: Array<{ key: string; value: string }> }> }> };
  const perPage = Math.max(1, Math.floor((2 * 1024 * 1024) / distinct[0].length));
  const pages: Uint8Array[] = [];
  for (let k = 0; k < groups; k += perPage) {
    const n = Math.min(perPage, groups - k);
    pages.push(encodeLogGroupList(Array.from({ length: n }, (_, i) => decodeLogGroupReference(distinct[(k + i) % distinct.length]))));
  }
  let pbLogs = 0;
  let pbBest = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const pb = await measure(async () => {
      pbLogs = 0;
      for (const page of pages) {
        for (const g of (LogGroupListType.decode(page) as unknown as PbList).logGroupList) {
          for (const log of g.logs) {
            pbLogs++;
            touched += log.time;
            for (const c of log.contents) touched += c.key.length + c.value.length;
          }
        }
      }
    });
    pbBest = Math.min(pbBest, pb.cpu);
  }
  if (pbLogs !== result.ingestLines) throw new Error(`protobufjs decoded ${pbLogs} logs, ours ${result.ingestLines}`);
  const f = (x: number) => +x.toFixed(1);
  const oursCore = mb / ours.cpu;
  const sdkCore = mb / sdk.cpu;
  const pbCore = mb / pbBest;
  // With --no-sdk there is no baseline: report ours alone rather than a baseline that did not run.
  const baseline = withSdk ? { sdkMBpsPerCore: f(sdkCore), sdkMBpsWall: f(mb / sdk.wall), ratio: +(oursCore / sdkCore).toFixed(2) } : {};
  report(
    wantsJson(),
    {
      bench: 'readpath',
      rawMB: f(mb),
      groups,
      logs: result.ingestLines,
      lz4: lz4Implementation,
      oursMBpsPerCore: f(oursCore),
      oursMBpsWall: f(mb / ours.wall),
      protobufjsDecodeMBpsPerCore: f(pbCore),
      ratioVsProtobufjs: +(oursCore / pbCore).toFixed(2),
      ...baseline,
      touched,
    },
    [
      `range: ${f(mb)} MB raw, ${groups} log groups, ${result.ingestLines} logs x 14 fields, one shard (LogHub in a child process)`,
      `ours (createHandler, lz4):         ${f(oursCore)} MB/s per core   (${f(mb / ours.wall)} MB/s wall)`,
      `protobufjs decode only (baseline): ${f(pbCore)} MB/s per core; ours ${(oursCore / pbCore).toFixed(2)}x (pull + lz4 + decode vs decode alone)`,
      ...(withSdk
        ? [
            `aliyun-sdk batchGetLogs (official): ${f(sdkCore)} MB/s per core   (${f(mb / sdk.wall)} MB/s wall)`,
            `ratio: ${(oursCore / sdkCore).toFixed(2)}x per core`,
          ]
        : ['(--no-sdk: no baseline ran, so no ratio)']),
    ],
  );
} finally {
  client.close();
  hub.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
