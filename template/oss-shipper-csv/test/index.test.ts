// Replays real events against an embedded LogHub and uploads to a real S3-API object store on
// loopback (s3rver, virtual-hosted style as OSS requires, every V4 signature checked): the object
// is read back from the server, decompressed (gzip with zlib, snappy with the native `snappy`
// package, not the template's snappyjs), parsed with csv-parse, and compared row by row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { uncompressSync } from 'snappy';
import { LogClient, startLogHub, type LogGroup } from 'sls-trigger';
import { objectName } from '../src/csv.js';
import { handler } from '../src/index.js';
import { s3Endpoint } from '../src/oss.js';
import { startS3 } from './s3Server.js';

// FC hands the function STS keys; the same keys sign the SLS reads and the OSS upload
const sts = { accessKeyId: 'S3RVER', accessKeySecret: 'S3RVER', securityToken: 'sts-token-1' };
const columns = ['__time__', 'ip', 'msg', 'status', '__topic__', '__source__', '__tag__:host', 'absent'];
const groups: LogGroup[] = [
  {
    logs: [
      {
        time: 1700000001,
        contents: [
          { key: 'ip', value: '10.0.0.1' },
          { key: 'msg', value: 'plain' },
          { key: 'status', value: '200' },
        ],
      },
      {
        time: 1700000002,
        contents: [
          { key: 'ip', value: '10.0.0.2' },
          { key: 'msg', value: 'a, "quoted" one' },
          { key: 'status', value: '500' },
        ],
      },
    ],
    topic: 'web',
    source: '192.168.0.9',
    logTags: [{ key: 'host', value: 'h1' }],
  },
  {
    logs: [
      {
        time: 1700000003,
        contents: [
          { key: 'msg', value: 'two\nlines' },
          { key: 'ip', value: '10.0.0.3' },
        ],
      },
    ],
    logTags: [],
  },
];
const NULL = '\\N';
/** What each CSV row must hold, from the logs alone. */
const expectedRows = groups.flatMap((g) =>
  g.logs.map((l) => {
    const field = (k: string) => l.contents.find((c) => c.key === k)?.value ?? NULL;
    const tag = g.logTags.find((t) => t.key === 'host')?.value ?? NULL;
    return [String(l.time), field('ip'), field('msg'), field('status'), g.topic ?? NULL, g.source ?? NULL, tag, NULL];
  }),
);

let hub: Awaited<ReturnType<typeof startLogHub>>;
let s3: Awaited<ReturnType<typeof startS3>>;
let sls: LogClient;
let reader: S3Client;
let begin = '';
let end = '';

before(async () => {
  hub = await startLogHub({ port: 0, memory: true, accessKeys: [{ accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret }] });
  s3 = await startS3(['csv-bucket', 'other-bucket'], sts.accessKeySecret);
  sls = new LogClient({ endpoint: hub.endpoint, credentials: sts });
  reader = new S3Client({ endpoint: s3.endpoint, region: 'cn-test', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await sls.createProject({ project: 'csv' });
  await sls.createLogStore({ project: 'csv', logstore: 'src', shardCount: 1 });
  begin = await sls.getCursor({ project: 'csv', logstore: 'src', shardId: 0, from: 'begin' });
  for (const g of groups) await sls.putLogs({ project: 'csv', logstore: 'src', logGroup: g });
  end = await sls.getCursor({ project: 'csv', logstore: 'src', shardId: 0, from: 'end' });
});
after(async () => {
  sls.close();
  reader.destroy();
  await s3.close();
  await hub.close();
});

function event(target: object, transform: object, range = { begin, end }) {
  return {
    source: { endpoint: hub.endpoint, projectName: 'csv', logstoreName: 'src', shardId: 0, beginCursor: range.begin, endCursor: range.end },
    parameter: {
      target: {
        ossBucket: 'csv-bucket',
        ossEndpoint: s3.endpoint,
        ossRegion: 'cn-test',
        ossPrefix: 'access/',
        ossDateFormat: 'yyyy/MM/dd/HH',
        ...target,
      },
      transform: { columnNames: columns, nullColumnValue: NULL, ...transform },
    },
    jobName: 'j',
    taskId: 't',
    cursorTime: 1700000003, // 2023-11-14T22:13:23Z
  };
}
const context = { requestId: 'r', credentials: sts, logger: { info: () => undefined } };

async function readBack(bucket: string, key: string): Promise<Buffer> {
  const o = await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await o.Body!.transformToByteArray());
}

async function keysIn(bucket: string): Promise<string[]> {
  const r = await reader.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (r.Contents ?? []).map((c) => c.Key!).sort();
}

const cases = [
  { compressType: 'none', enableHeader: true, postfix: '.csv', decode: (b: Buffer) => b },
  { compressType: 'gzip', enableHeader: false, postfix: '.csv.gz', decode: (b: Buffer) => gunzipSync(b) },
  { compressType: 'snappy', enableHeader: true, postfix: '.csv.snappy', decode: (b: Buffer) => uncompressSync(b) as Buffer },
] as const;

for (const c of cases) {
  test(`${c.compressType}, header ${c.enableHeader ? 'on' : 'off'}: every row and column as in the logs`, async () => {
    const before = s3.seen.length;
    const r = await handler(event({ ossPostfix: c.postfix }, { compressType: c.compressType, enableHeader: c.enableHeader }), context);
    assert.deepEqual([r.ingestLines, r.shipLines], [3, 3]);
    const key = `access/2023/11/14/22/0_${begin}_${end}${c.postfix}`;
    const body = await readBack('csv-bucket', key);
    assert.deepEqual(r.counters, { uploadedObjects: 1, uploadedBytes: body.length });
    const rows = parse(c.decode(body).toString('utf8')) as string[][];
    assert.deepEqual(rows, c.enableHeader ? [columns, ...expectedRows] : expectedRows);
    const put = s3.seen.slice(before).find((q) => q.method === 'PUT')!;
    assert.equal(put.host, `csv-bucket.${new URL(s3.endpoint).host}`, 'virtual-hosted style, as OSS requires');
    assert.ok(put.signatureOk, 'the V4 signature verifies with the secret');
    assert.equal(put.headers['x-amz-security-token'], sts.securityToken);
    assert.equal(
      put.headers['x-amz-content-sha256'],
      createHash('sha256').update(body).digest('hex'),
      'the signed body hash is the stored body',
    );
    assert.equal(put.headers['content-encoding'], undefined, 'no aws-chunked body (OSS rejects it)');
  });
}

test('quoting follows quoteChar and escapeChar; another delimiter', async () => {
  const r = await handler(
    event(
      { ossBucket: 'other-bucket', ossPrefix: 'tsv/' },
      { delimiterChar: '\t', quoteChar: "'", escapeChar: '\\', columnNames: ['msg'], nullColumnValue: '' },
    ),
    context,
  );
  assert.equal(r.shipLines, 3);
  const text = (await readBack('other-bucket', `tsv/2023/11/14/22/0_${begin}_${end}.csv`)).toString();
  assert.equal(text, `plain\na, "quoted" one\n'two\nlines'\n`);
});

test('a retried range overwrites its one object; a failed upload fails the invocation', async () => {
  const key = `retry/2023/11/14/22/0_${begin}_${end}.csv`;
  await assert.rejects(handler(event({ ossBucket: 'no-such-bucket', ossPrefix: 'retry/', maxAttempts: 1 }, {}), context), /bucket/i);
  await handler(event({ ossPrefix: 'retry/' }, {}), context);
  const first = await readBack('csv-bucket', key);
  await handler(event({ ossPrefix: 'retry/' }, {}), context);
  assert.deepEqual(
    (await keysIn('csv-bucket')).filter((k) => k.startsWith('retry/')),
    [key],
  );
  assert.deepEqual(await readBack('csv-bucket', key), first);
});

test('an empty trigger uploads nothing; a bad date pattern names the field', async () => {
  const r = await handler(event({ ossPrefix: 'empty/' }, {}, { begin: end, end }), context);
  assert.equal(r.emptyTrigger, true);
  assert.equal(r.counters, undefined);
  assert.deepEqual(
    (await keysIn('csv-bucket')).filter((k) => k.startsWith('empty/')),
    [],
  );
  await assert.rejects(
    handler(event({ ossDateFormat: 'yyyy/MM/f' }, {}), context),
    /target\.ossDateFormat "yyyy\/MM\/f" .*unescaped latin alphabet character `f`/,
  );
  await assert.rejects(handler(event({ ossTimeZone: 'Mars/Olympus' }, {}), context), /time zone Mars\/Olympus/);
  await assert.rejects(handler(event({}, { compressType: 'lz4' }), context), /compressType/);
});

test('object names and endpoints', () => {
  const parts = {
    prefix: 'p/',
    dateFormat: "yyyyMMdd'T'HH",
    postfix: '.csv',
    cursorTime: 1700000003,
    shardId: 3,
    beginCursor: 'MTc=',
    endCursor: 'MTg=',
  };
  assert.equal(objectName({ ...parts, timeZone: 'UTC' }), 'p/20231114T22/3_MTc=_MTg=.csv');
  assert.equal(objectName({ ...parts, timeZone: 'Asia/Shanghai' }), 'p/20231115T06/3_MTc=_MTg=.csv');
  assert.deepEqual(s3Endpoint('http://oss-cn-shanghai-internal.aliyuncs.com'), {
    endpoint: 'http://s3.oss-cn-shanghai-internal.aliyuncs.com',
    region: 'cn-shanghai',
  });
  assert.deepEqual(s3Endpoint('s3.oss-cn-hangzhou.aliyuncs.com'), {
    endpoint: 'https://s3.oss-cn-hangzhou.aliyuncs.com',
    region: 'cn-hangzhou',
  });
});
