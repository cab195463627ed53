// bench/loghub: embedded LogHub PutLogs/PullLogs vs kinesalite PutRecords/GetRecords, same payload,
// same run, loopback. Each request carries one nginx-like batch: for us a LogGroup (protobuf, lz4 as
// the SDKs send it), for kinesalite the same protobuf bytes as one record. MB/s are of raw payload.
// Our store fsyncs every acknowledged write (file store, the default); kinesalite keeps data in memory.
// Requests carry producer-sized batches (1000 logs, ~450 KB; the Java producer flushes at 512 KB /
// 4096 logs). --logs 40 shows the small-request case, where per-request HTTP overhead dominates.
// --separate: both servers run in child processes (the bench process is only the client), so no
// server shares its core with client work.
// Usage: tsx bench/loghub.ts [--json] [--batches 60] [--logs 1000] [--concurrency 8] [--separate]
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
import { DEFAULT_ACCESS_KEY, startLogHub } from '../src/loghub/index.js';
import { nginxGroup, seededRandom } from '../src/sample/nginx.js';
import { numberFlag, report, wantsJson } from './args.js';

const batches = numberFlag('batches', 60);
const logsPerBatch = numberFlag('logs', 1000);
const concurrency = numberFlag('concurrency', 8);
const separate = process.argv.includes('--separate');
const here = path.dirname(new URL(import.meta.url).pathname);

/** Starts a child process and resolves with the first stdout/stderr line matching `re` (its group 1). */
function child(args: string[], re: RegExp): Promise<{ proc: ChildProcess; value: string }> {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    for (const s of [proc.stdout!, proc.stderr!]) readline.createInterface({ input: s }).on('line', (l) => {
      const m = re.exec(l);
      if (m) resolve({ proc, value: m[1] });
    });
    proc.once('exit', (c) => reject(new Error(`child exited with ${c}`)));
  });
}
const rnd = seededRandom(7);
const payloads = Array.from({ length: batches }, (_, i) => Buffer.from(encodeLogGroup(nginxGroup(rnd, { logs: logsPerBatch, time: 1_700_000_000 + i }))));
const rawBytes = payloads.reduce((n, p) => n + p.length, 0);
const mb = rawBytes / (1024 * 1024);

async function pool(n: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await work(next++);
  }));
  return (performance.now() - t0) / 1000;
}

async function benchOurs(compressType: CompressType, fsync: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-hub-'));
  let endpoint: string;
  let stop: () => Promise<void>;
  if (separate) {
    const c = await child([path.join(here, '..', 'bin', 'sls-trigger.js'), 'serve', '--port', '0', '--quiet', '--data-dir', dir, ...(fsync ? [] : ['--no-fsync'])], /^LogHub listening on (\S+)/);
    endpoint = c.value;
    stop = async () => {
      c.proc.kill('SIGTERM');
      await new Promise((r) => c.proc.once('exit', r));
    };
  } else {
    const h = await startLogHub({ dataDir: dir, ttlIntervalMs: 0, fsync });
    endpoint = h.endpoint;
    stop = () => h.close();
  }
  const hub = { close: stop };
  const c = new LogClient({ endpoint, credentials: DEFAULT_ACCESS_KEY });
  try {
    await c.createProject({ project: 'bench' });
    await c.createLogStore({ project: 'bench', logstore: 'nginx', shardCount: 1 });
    const ingest = await pool(batches, (i) => c.putLogs({ project: 'bench', logstore: 'nginx', logGroup: payloads[i], compressType }));
    let cursor = await c.getCursor({ project: 'bench', logstore: 'nginx', shardId: 0, from: 'begin' });
    let read = 0;
    const t0 = performance.now();
    for (;;) {
      const r = await c.pullLogs({ project: 'bench', logstore: 'nginx', shardId: 0, cursor, count: 10 });
      if (r.count === 0) break;
      read += r.count;
      cursor = r.nextCursor;
    }
    if (read !== batches) throw new Error(`read ${read} groups, wrote ${batches}`);
    return { ingest: mb / ingest, read: mb / ((performance.now() - t0) / 1000) };
  } finally {
    c.close();
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function kinesisCall(port: number, agent: http.Agent, target: string, body: unknown): Promise<Record<string, unknown>> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1', port, method: 'POST', path: '/', agent,
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
    return { port: Number(c.value), close: async () => { c.proc.kill('SIGTERM'); await new Promise((r) => c.proc.once('exit', r)); } };
  }
  const kinesalite = createRequire(import.meta.url)('kinesalite');
  const server: http.Server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 10 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function benchKinesalite() {
  const k = await startKinesalite();
  const port = k.port;
  const agent = new http.Agent({ keepAlive: true });
  try {
    await kinesisCall(port, agent, 'CreateStream', { StreamName: 'nginx', ShardCount: 1 });
    const records = payloads.map((p) => p.toString('base64'));
    const ingest = await pool(batches, (i) => kinesisCall(port, agent, 'PutRecords', { StreamName: 'nginx', Records: [{ Data: records[i], PartitionKey: 'k' }] }).then(() => undefined));
    const desc = await kinesisCall(port, agent, 'DescribeStream', { StreamName: 'nginx' });
    const shardId = (desc.StreamDescription as { Shards: { ShardId: string }[] }).Shards[0].ShardId;
    let it = (await kinesisCall(port, agent, 'GetShardIterator', { StreamName: 'nginx', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator as string;
    let read = 0;
    const t0 = performance.now();
    while (read < batches) {
      const r = await kinesisCall(port, agent, 'GetRecords', { ShardIterator: it, Limit: 10 });
      read += (r.Records as unknown[]).length;
      it = r.NextShardIterator as string;
    }
    return { ingest: mb / ingest, read: mb / ((performance.now() - t0) / 1000) };
  } finally {
    agent.destroy();
    await k.close();
  }
}

const kin = await benchKinesalite();
const lz4 = await benchOurs(CompressType.Lz4, true);
const plain = await benchOurs(CompressType.None, true);
const noSync = await benchOurs(CompressType.Lz4, false);
const f = (x: number) => +x.toFixed(1);
report(
  wantsJson(),
  {
    bench: 'loghub', separate, payloadMB: f(mb), batches, logsPerBatch, concurrency, lz4: lz4Implementation,
    oursIngestMBps: f(lz4.ingest), oursReadMBps: f(lz4.read), oursIngestUncompressedMBps: f(plain.ingest), oursIngestNoFsyncMBps: f(noSync.ingest),
    kinesaliteIngestMBps: f(kin.ingest), kinesaliteReadMBps: f(kin.read),
    ratio: +(lz4.ingest / kin.ingest).toFixed(2), readRatio: +(lz4.read / kin.read).toFixed(2), ratioUncompressed: +(plain.ingest / kin.ingest).toFixed(2),
  },
  [
    `payload: ${f(mb)} MB raw in ${batches} requests of ${logsPerBatch} nginx logs, ${concurrency} in flight, servers ${separate ? 'in child processes' : 'in this process'}`,
    `ingest  ours (lz4, fsync): ${f(lz4.ingest)} MB/s   ours (none, fsync): ${f(plain.ingest)} MB/s   ours (lz4, no fsync): ${f(noSync.ingest)} MB/s   kinesalite: ${f(kin.ingest)} MB/s`,
    `read    ours: ${f(lz4.read)} MB/s   kinesalite: ${f(kin.read)} MB/s`,
    `ratio   ingest ${(lz4.ingest / kin.ingest).toFixed(2)}x (uncompressed ${(plain.ingest / kin.ingest).toFixed(2)}x), read ${(lz4.read / kin.read).toFixed(2)}x`,
  ],
);
