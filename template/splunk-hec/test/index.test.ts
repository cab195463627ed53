// Replays real events against an embedded LogHub into a loopback HEC-shaped receiver that checks
// the token (plain HTTP and TLS with a test certificate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ACCESS_KEY, LogClient, startLogHub } from 'sls-trigger';
import { handler } from '../src/index.js';

const tls = {
  key: readFileSync(new URL('./fixtures/key.pem', import.meta.url)),
  cert: readFileSync(new URL('./fixtures/cert.pem', import.meta.url)),
};

async function hecReceiver(secure: boolean, failFirst = 0) {
  const events: Array<Record<string, unknown>> = [];
  let calls = 0;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url !== '/services/collector/event') return reply(404, { text: 'not found', code: 404 });
      if (req.headers.authorization !== 'Splunk hec-token') return reply(401, { text: 'Invalid token', code: 4 });
      if (calls <= failFirst) return reply(503, { text: 'Server is busy', code: 9 });
      for (const line of Buffer.concat(chunks).toString().split('\n')) events.push(JSON.parse(line) as Record<string, unknown>);
      reply(200, { text: 'Success', code: 0 });
    });
  };
  const server = secure ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    events,
    calls: () => calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function withData(fn: (event: (parameter: object) => object) => Promise<void>) {
  const hub = await startLogHub({ port: 0, memory: true });
  const c = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  try {
    await c.createProject({ project: 'hec' });
    await c.createLogStore({ project: 'hec', logstore: 'src', shardCount: 1 });
    const begin = await c.getCursor({ project: 'hec', logstore: 'src', shardId: 0, from: 'begin' });
    await c.putLogs({
      project: 'hec',
      logstore: 'src',
      logGroup: {
        logs: [
          {
            time: 1700000000,
            timeNs: 250000000,
            contents: [
              { key: 'msg', value: 'hello' },
              { key: 'req', value: '{"path":"/a","ms":12}' },
            ],
          },
        ],
        topic: 'web',
        source: '10.0.0.1',
        logTags: [{ key: 'host', value: 'h1' }],
      },
    });
    await c.putLogs({
      project: 'hec',
      logstore: 'src',
      logGroup: { logs: [{ time: 1700000001, contents: [{ key: 'msg', value: 'noise' }] }], topic: 'debug', logTags: [] },
    });
    const end = await c.getCursor({ project: 'hec', logstore: 'src', shardId: 0, from: 'end' });
    await fn((parameter) => ({
      source: { endpoint: hub.endpoint, projectName: 'hec', logstoreName: 'src', shardId: 0, beginCursor: begin, endCursor: end },
      parameter,
      jobName: 'j',
      taskId: 't',
      cursorTime: 0,
    }));
  } finally {
    c.close();
    await hub.close();
  }
}

const ctx = { requestId: 'r', credentials: DEFAULT_ACCESS_KEY, logger: { info: () => undefined } };

test('HEC events carry time, host, source, sourcetype, index, fields, tags; JSON fields unfold; topics skip', async () => {
  const hec = await hecReceiver(false, 1);
  try {
    await withData(async (event) => {
      const r = await handler(
        event({
          hec: { endpoint: hec.url, token: 'hec-token', index: 'main', sourcetype: 'nginx', retries: 2 },
          skipTopics: ['debug'],
          unfoldJsonFields: ['req'],
        }),
        ctx,
      );
      assert.equal(r.ingestLines, 2);
      assert.equal(hec.calls(), 2, 'the 503 was retried');
      assert.deepEqual(hec.events, [
        {
          time: 1700000000.25,
          host: '10.0.0.1',
          source: 'sls:hec/src',
          sourcetype: 'nginx',
          index: 'main',
          event: { msg: 'hello', req: { path: '/a', ms: 12 }, __topic__: 'web', '__tag__:host': 'h1' },
        },
      ]);
    });
  } finally {
    await hec.close();
  }
});

test('a wrong token fails the invocation (so the trigger retries); TLS verification is honoured', async () => {
  const hec = await hecReceiver(true);
  try {
    await withData(async (event) => {
      await assert.rejects(handler(event({ hec: { endpoint: hec.url, token: 'nope', verifyTls: false } }), ctx), /HEC answered 401/);
      await assert.rejects(
        handler(event({ hec: { endpoint: hec.url, token: 'hec-token', verifyTls: true, retries: 0 } }), ctx),
        /certificate/,
      );
      await handler(event({ hec: { endpoint: hec.url, token: 'hec-token', verifyTls: false } }), ctx);
      assert.equal(hec.events.length, 2);
    });
  } finally {
    await hec.close();
  }
});
