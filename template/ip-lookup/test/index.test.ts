// Replays a real event against an embedded LogHub with the shipped DB-IP database: exact geo fields
// for known public IPs (IPv4 and IPv6), none for private and malformed ones, every outcome counted,
// and time, topic, source and tags kept in the target logstore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ACCESS_KEY, LogClient, startLogHub, type LogGroup } from 'sls-trigger';
import { geoFieldsOf } from '../src/geo.js';
import { handler, initialize } from '../src/index.js';

const at = { project: 'geo' };
const logOf = (time: number, ip?: string) => ({
  time,
  contents: [...(ip === undefined ? [] : [{ key: 'remote_addr', value: ip }]), { key: 'path', value: '/' }],
});

test('adds country, province and city for public IPs; counts private, malformed and missing ones', async () => {
  const hub = await startLogHub({ port: 0, memory: true });
  const c = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  const lines: string[] = [];
  const context = {
    requestId: 'r',
    credentials: DEFAULT_ACCESS_KEY,
    logger: { info: (l: unknown) => lines.push(String(l)), warn: (l: unknown) => lines.push(String(l)) },
  };
  try {
    await initialize(context);
    await c.createProject(at);
    await c.createLogStore({ ...at, logstore: 'src', shardCount: 1 });
    await c.createLogStore({ ...at, logstore: 'dst', shardCount: 1 });
    const groups: LogGroup[] = [
      {
        logs: [logOf(1700000001, '8.8.8.8'), { ...logOf(1700000002, '223.5.5.5'), timeNs: 7 }, logOf(1700000003, ' 1.1.1.1 ')],
        topic: 'web',
        source: '10.0.0.1',
        logTags: [{ key: 'host', value: 'h1' }],
      },
      {
        logs: [logOf(1700000004, '2001:4860:4860::8888'), logOf(1700000005, '10.1.2.3'), logOf(1700000006, 'fe80::1')],
        topic: 'api',
        logTags: [],
      },
      { logs: [logOf(1700000007, 'not-an-ip'), logOf(1700000008)], logTags: [] },
    ];
    const begin = await c.getCursor({ ...at, logstore: 'src', shardId: 0, from: 'begin' });
    for (const g of groups) await c.putLogs({ ...at, logstore: 'src', logGroup: g });
    const end = await c.getCursor({ ...at, logstore: 'src', shardId: 0, from: 'end' });
    const event = {
      source: { endpoint: hub.endpoint, projectName: 'geo', logstoreName: 'src', shardId: 0, beginCursor: begin, endCursor: end },
      parameter: { target: { projectName: 'geo', logstoreName: 'dst' }, transform: { ipKeyName: 'remote_addr', provinceKeyName: 'state' } },
      jobName: 'j',
      taskId: 't',
      cursorTime: 0,
    };
    const r = await handler(JSON.stringify(event), context);
    assert.deepEqual([r.ingestLines, r.shipLines], [8, 8]);
    assert.deepEqual(r.counters, { ipFound: 4, ipPrivate: 2, ipInvalid: 1, ipMissing: 1 });
    assert.ok(lines.some((l) => l.includes('not an IP address in remote_addr: "not-an-ip"')));

    const dBegin = await c.getCursor({ ...at, logstore: 'dst', shardId: 0, from: 'begin' });
    const copied = (await c.pullLogs({ ...at, logstore: 'dst', shardId: 0, cursor: dBegin })).groups.map((g) => g.toLogGroup());
    const geo = (country: string, state: string, city: string) => [
      { key: 'country', value: country },
      { key: 'state', value: state },
      { key: 'city', value: city },
    ];
    const withGeo = (log: LogGroup['logs'][number], fields: Array<{ key: string; value: string }>) => ({
      ...log,
      contents: [...log.contents, ...fields],
    });
    assert.deepEqual(copied, [
      {
        ...groups[0],
        logs: [
          withGeo(groups[0].logs[0], geo('US', 'California', 'Mountain View')),
          withGeo(groups[0].logs[1], geo('CN', 'Zhejiang', 'Hangzhou')),
          withGeo(groups[0].logs[2], geo('AU', 'New South Wales', 'Sydney')),
        ],
      },
      {
        ...groups[1],
        logs: [withGeo(groups[1].logs[0], geo('CA', 'Quebec', 'Montreal')), groups[1].logs[1], groups[1].logs[2]],
      },
      groups[2],
    ]);
  } finally {
    c.close();
    await hub.close();
  }
});

test('a bad database path or parameter fails with a message naming it', async () => {
  const hub = await startLogHub({ port: 0, memory: true });
  const c = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  try {
    await c.createProject(at);
    await c.createLogStore({ ...at, logstore: 'src', shardCount: 1 });
    const begin = await c.getCursor({ ...at, logstore: 'src', shardId: 0, from: 'begin' });
    await c.putLogs({ ...at, logstore: 'src', logGroup: { logs: [logOf(1, '8.8.8.8')], logTags: [] } });
    const end = await c.getCursor({ ...at, logstore: 'src', shardId: 0, from: 'end' });
    const event = (parameter: object) => ({
      source: { endpoint: hub.endpoint, projectName: 'geo', logstoreName: 'src', shardId: 0, beginCursor: begin, endCursor: end },
      parameter,
      jobName: 'j',
      taskId: 't',
      cursorTime: 0,
    });
    const context = { requestId: 'r', credentials: DEFAULT_ACCESS_KEY, logger: { info: () => undefined } };
    await assert.rejects(
      handler(
        event({ target: { projectName: 'geo', logstoreName: 'dst' }, transform: { databasePath: '/nonexistent/geo.mmdb' } }),
        context,
      ),
      /cannot open the IP database \/nonexistent\/geo\.mmdb/,
    );
    await assert.rejects(handler(event({ target: { projectName: 'geo' } }), context), /logstoreName/);
  } finally {
    c.close();
    await hub.close();
  }
});

test('MaxMind-shaped records: subdivisions, names by language, ISP and AS organisation', () => {
  const city = {
    country: { iso_code: 'CN' },
    subdivisions: [{ names: { en: 'Zhejiang', 'zh-CN': '浙江省' } }, { names: { en: 'Hangzhou Prefecture' } }],
    city: { names: { en: 'Hangzhou', 'zh-CN': '杭州' } },
  };
  assert.deepEqual(geoFieldsOf(city, 'zh-CN'), {
    country: 'CN',
    province: '浙江省',
    region: 'Hangzhou Prefecture',
    city: '杭州',
    isp: undefined,
  });
  assert.equal(geoFieldsOf({ isp: 'China Telecom' }).isp, 'China Telecom');
  assert.equal(geoFieldsOf({ autonomous_system_organization: 'ALIBABA-CN-NET' }).isp, 'ALIBABA-CN-NET');
  assert.deepEqual(geoFieldsOf({ country_code: 'US', state1: '', city: '' }), {
    country: 'US',
    province: undefined,
    region: undefined,
    city: undefined,
    isp: undefined,
  });
});
