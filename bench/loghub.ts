// bench/loghub: embedded LogHub PutLogs/PullLogs vs kinesalite PutRecords/GetRecords, same payload,
// same run, loopback. Each request carries one nginx-like batch: for us a LogGroup (protobuf, lz4 as
// the SDKs send it), for kinesalite the same protobuf bytes as one record. MB/s are of raw payload.
// Our store fsyncs every acknowledged write (file store, the default); kinesalite keeps data in memory.
// Requests carry producer-sized batches (1000 logs, ~450 KB; the Java producer flushes at 512 KB /
// 4096 logs). --logs 40 shows the small-request case, where per-request HTTP overhead dominates.
// --separate: both servers run in child processes (the bench process is only the client), so no
// server shares its core with client work.
// Request bodies are prepared before the clock starts for both servers (ours: lz4 + Content-MD5, as a
// producer compresses on its own side; kinesalite: base64), so the timed part is signing, HTTP and the
// server. Each server first takes --warmup batches into a separate logstore/stream (JIT warm-up).
// Rounds interleave the servers (kinesalite, ours lz4, ours none, ours no-fsync, then again), each
// round into a fresh logstore/stream; figures are medians and `ratio` is the median per-round ratio.
// Usage: tsx bench/loghub.ts [--json] [--batches 500] [--logs 1000] [--concurrency 8] [--warmup 20] [--rounds 5] [--separate]
// (500 batches, ~226 MB a round, and 5 rounds: with 200 and 3 the per-round ratio swung 4.7-6.4x on one run)
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CompressType, encodeLogGroup, lz4Implementation } from '../src/codec/index.js';
import { LogClient } from '../src/client/index.js';
import { putLogs } from '../src/client/requests/putLogs.js';
import { DEFAULT_ACCESS_KEY, startLogHub } from '../src/loghub/index.js';
import { nginxGroup, seededRandom } from '../src/sample/nginx.js';
import { collectGarbage, numberFlag, report, wantsJson } from './args.js';

const batches = numberFlag('batches', 500);
const logsPerBatch = numberFlag('logs', 1000);
const concurrency = numberFlag('concurrency', 8);
const warmup = numberFlag('warmup', 20);
const rounds = numberFlag('rounds', 5);
const separate = process.argv.includes('--separate');
const here = path.dirname(new URL(import.meta.url).pathname);

/** Starts a child process and resolves with the first stdout/stderr line matching `re` (its group 1). */
function child(args: string[], re: RegExp): Promise<{ proc: ChildProcess; value: string }> {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    for (const s of [proc.stdout!, proc.stderr!])
      readline.createInterface({ input: s }).on('line', (l) => {
        const m = re.exec(l);
        if (m) resolve({ proc, value: m[1] });
      });
    proc.once('exit', (c) => reject(new Error(`child exited with ${c}`)));
  });
}
const rnd = seededRandom(7);
const payloads = Array.from({ length: batches }, (_, i) =>
  Buffer.from(encodeLogGroup(nginxGroup(rnd, { logs: logsPerBatch, time: 1_700_000_000 + i }))),
);
const rawBytes = payloads.reduce((n, p) => n + p.length, 0);
const mb = rawBytes / (1024 * 1024);

async function pool(n: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await work(next++);
    }),
  );
  return (performance.now() - t0) / 1000;
}

/** A server under test: ingest and read one fresh logstore/stream per round, timed in seconds. */
interface Target {
  ingest(name: string): Promise<number>;
  read(name: string): Promise<number>;
  close(): Promise<void>;
}

async function startOurs(fsync: boolean): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-hub-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  if (separate) {
    const c = await child(
      [
        path.join(here, '..', 'bin', 'sls-trigger.js'),
        'serve',
        '--port',
        '0',
        '--quiet',
        '--data-dir',
        dir,
        ...(fsync ? [] : ['--no-fsync']),
      ],
      /^LogHub listening on (\S+)/,
    );
    return {
      endpoint: c.value,
      close: async () => {
        c.proc.kill('SIGTERM');
        await new Promise((r) => c.proc.once('exit', r));
        cleanup();
      },
    };
  }
  const h = await startLogHub({ dataDir: dir, ttlIntervalMs: 0, fsync });
  return {
    endpoint: h.endpoint,
    close: async () => {
      await h.close();
      cleanup();
    },
  };
}

async function openOurs(compressType: CompressType, fsync: boolean): Promise<Target> {
  const server = await startOurs(fsync);
  const c = new LogClient({ endpoint: server.endpoint, credentials: DEFAULT_ACCESS_KEY });
  await c.createProject({ project: 'bench' });
  const prepare = (logstore: string) => payloads.map((logGroup) => putLogs({ project: 'bench', logstore, logGroup, compressType }));
  const ingest = async (logstore: string, n = batches) => {
    await c.createLogStore({ project: 'bench', logstore, shardCount: 1 });
    const requests = prepare(logstore);
    collectGarbage();
    return pool(n, (i) => c.send(requests[i]));
  };
  await ingest('warm', Math.min(warmup, batches));
  return {
    ingest,
    async read(logstore) {
      let cursor = await c.getCursor({ project: 'bench', logstore, shardId: 0, from: 'begin' });
      let read = 0;
      const t0 = performance.now();
      for (;;) {
        const r = await c.pullLogs({ project: 'bench', logstore, shardId: 0, cursor, count: 10 });
        if (r.count === 0) break;
        read += r.count;
        cursor = r.nextCursor;
      }
      if (read !== batches) throw new Error(`read ${read} groups, wrote ${batches}`);
      return (performance.now() - t0) / 1000;
    },
    async close() {
      c.close();
      await server.close();
    },
  };
}

function kinesisCall(port: number, agent: http.Agent, target: string, body: unknown): Promise<Record<string, unknown>> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `Kinesis_20131202.${target}`,
          'x-amz-date': '20261124T000000Z',
          authorization: 'AWS4-HMAC-SHA256 Credential=bench/20261124/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00',
          'content-length': data.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`${target}: ${res.statusCode} ${text}`));
          else resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function startKinesalite(): Promise<{ port: number; close: () => Promise<void> }> {
  const opts = '{ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 10 }';
  if (separate) {
    const script = `const s=require(${JSON.stringify(createRequire(import.meta.url).resolve('kinesalite'))})(${opts});s.listen(0,'127.0.0.1',()=>console.log('port '+s.address().port))`;
    const c = await child(['-e', script], /^port (\d+)/);
    return {
      port: Number(c.value),
      close: async () => {
        c.proc.kill('SIGTERM');
        await new Promise((r) => c.proc.once('exit', r));
      },
    };
  }
  const kinesalite = createRequire(import.meta.url)('kinesalite');
  const server: http.Server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 10 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function openKinesalite(): Promise<Target> {
  const k = await startKinesalite();
  const agent = new http.Agent({ keepAlive: true });
  const call = (target: string, body: unknown) => kinesisCall(k.port, agent, target, body);
  const records = payloads.map((p) => p.toString('base64'));
  const ingest = async (name: string, n = batches) => {
    await call('CreateStream', { StreamName: name, ShardCount: 1 });
    collectGarbage();
    return pool(n, (i) =>
      call('PutRecords', { StreamName: name, Records: [{ Data: records[i], PartitionKey: 'k' }] }).then(() => undefined),
    );
  };
  await ingest('warm', Math.min(warmup, batches));
  return {
    ingest,
    async read(name) {
      const desc = await call('DescribeStream', { StreamName: name });
      const shardId = (desc.StreamDescription as { Shards: { ShardId: string }[] }).Shards[0].ShardId;
      let it = (await call('GetShardIterator', { StreamName: name, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
        .ShardIterator as string;
      let read = 0;
      const t0 = performance.now();
      while (read < batches) {
        const r = await call('GetRecords', { ShardIterator: it, Limit: 10 });
        read += (r.Records as unknown[]).length;
        it = r.NextShardIterator as string;
      }
      return (performance.now() - t0) / 1000;
    },
    async close() {
      agent.destroy();
      await k.close();
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Interleaves kinesalite and our variants round by round, so drift (disk, other load) hits all alike. */
async function measure() {
  const targets = {
    kin: await openKinesalite(),
    lz4: await openOurs(CompressType.Lz4, true),
    plain: await openOurs(CompressType.None, true),
    noSync: await openOurs(CompressType.Lz4, false),
  };
  const runs: Record<keyof typeof targets, { ingest: number[]; read: number[] }> = {
    kin: { ingest: [], read: [] },
    lz4: { ingest: [], read: [] },
    plain: { ingest: [], read: [] },
    noSync: { ingest: [], read: [] },
  };
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [key, t] of Object.entries(targets) as [keyof typeof targets, Target][]) {
        runs[key].ingest.push(mb / (await t.ingest(`round${r}`)));
        runs[key].read.push(mb / (await t.read(`round${r}`)));
      }
    }
  } finally {
    for (const t of Object.values(targets)) await t.close();
  }
  const ratios = runs.lz4.ingest.map((x, i) => x / runs.kin.ingest[i]);
  return { runs, ratios };
}

const { runs, ratios } = await measure();
const f = (x: number) => +x.toFixed(1);
const m = (xs: number[]) => f(median(xs));
const ratio = +median(ratios).toFixed(2);
const readRatio = +(median(runs.lz4.read) / median(runs.kin.read)).toFixed(2);
const ratioUncompressed = +(median(runs.plain.ingest) / median(runs.kin.ingest)).toFixed(2);
report(
  wantsJson(),
  {
    bench: 'loghub',
    separate,
    payloadMB: f(mb),
    batches,
    logsPerBatch,
    concurrency,
    warmup,
    rounds,
    lz4: lz4Implementation,
    oursIngestMBps: m(runs.lz4.ingest),
    oursReadMBps: m(runs.lz4.read),
    oursIngestUncompressedMBps: m(runs.plain.ingest),
    oursIngestNoFsyncMBps: m(runs.noSync.ingest),
    kinesaliteIngestMBps: m(runs.kin.ingest),
    kinesaliteReadMBps: m(runs.kin.read),
    ratio,
    roundRatios: ratios.map((x) => +x.toFixed(2)),
    readRatio,
    ratioUncompressed,
  },
  [
    `payload: ${f(mb)} MB raw in ${batches} requests of ${logsPerBatch} nginx logs, ${concurrency} in flight, servers ${separate ? 'in child processes' : 'in this process'}; medians of ${rounds} interleaved rounds`,
    `ingest  ours (lz4, fsync): ${m(runs.lz4.ingest)} MB/s   ours (none, fsync): ${m(runs.plain.ingest)} MB/s   ours (lz4, no fsync): ${m(runs.noSync.ingest)} MB/s   kinesalite: ${m(runs.kin.ingest)} MB/s`,
    `read    ours: ${m(runs.lz4.read)} MB/s   kinesalite: ${m(runs.kin.read)} MB/s`,
    `ratio   ingest ${ratio}x (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')}; uncompressed ${ratioUncompressed}x), read ${readRatio}x`,
  ],
);
