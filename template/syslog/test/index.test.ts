// Replays real events against an embedded LogHub into loopback syslog receivers: TCP, TLS (test
// certificate) and UDP; checks RFC 5424 framing and fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ACCESS_KEY, LogClient, startLogHub } from 'sls-trigger';
import { handler } from '../src/index.js';

const certs = {
  key: readFileSync(new URL('./fixtures/key.pem', import.meta.url)),
  cert: readFileSync(new URL('./fixtures/cert.pem', import.meta.url)),
};

/** Parses octet-counted frames ("<len> <msg>") from a stream. */
function deframe(buf: Buffer): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < buf.length) {
    const sp = buf.indexOf(0x20, i);
    const len = Number(buf.subarray(i, sp).toString());
    out.push(buf.subarray(sp + 1, sp + 1 + len).toString());
    i = sp + 1 + len;
  }
  return out;
}

async function receiver(kind: 'tcp' | 'tls' | 'udp') {
  const got: string[] = [];
  let done: () => void = () => undefined;
  const closed = new Promise<void>((r) => (done = r));
  if (kind === 'udp') {
    const sock = dgram.createSocket('udp4');
    sock.on('message', (m) => got.push(m.toString()));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    return {
      port: (sock.address() as AddressInfo).port,
      got,
      settled: async (n: number) => {
        while (got.length < n) await new Promise((r) => setImmediate(r));
      },
      close: async () => sock.close(),
    };
  }
  const onConn = (s: net.Socket) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => {
      got.push(...deframe(Buffer.concat(chunks)));
      done();
    });
  };
  const server = kind === 'tls' ? tls.createServer(certs, onConn) : net.createServer(onConn);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    got,
    settled: () => closed,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function event(parameter: object) {
  const hub = await startLogHub({ port: 0, memory: true });
  const c = new LogClient({ endpoint: hub.endpoint, credentials: DEFAULT_ACCESS_KEY });
  await c.createProject({ project: 'sys' });
  await c.createLogStore({ project: 'sys', logstore: 'src', shardCount: 1 });
  const begin = await c.getCursor({ project: 'sys', logstore: 'src', shardId: 0, from: 'begin' });
  await c.putLogs({
    project: 'sys',
    logstore: 'src',
    logGroup: {
      logs: [
        {
          time: 1700000000,
          contents: [
            { key: 'status', value: '200' },
            { key: 'path', value: '/a' },
          ],
        },
        { time: 1700000001, timeNs: 500000000, contents: [{ key: 'status', value: '500' }] },
      ],
      topic: 'nginx',
      source: 'web-01',
      logTags: [{ key: 'zone', value: 'a' }],
    },
  });
  const end = await c.getCursor({ project: 'sys', logstore: 'src', shardId: 0, from: 'end' });
  c.close();
  return {
    hub,
    e: {
      source: { endpoint: hub.endpoint, projectName: 'sys', logstoreName: 'src', shardId: 0, beginCursor: begin, endCursor: end },
      parameter,
      jobName: 'j',
      taskId: 't',
      cursorTime: 0,
    },
  };
}

const ctx = { requestId: 'r', credentials: DEFAULT_ACCESS_KEY, logger: { info: () => undefined } };

for (const kind of ['tcp', 'tls', 'udp'] as const) {
  test(`RFC 5424 over ${kind}`, async () => {
    const rx = await receiver(kind);
    const { hub, e } = await event({
      host: '127.0.0.1',
      port: rx.port,
      protocol: kind,
      facility: 'local0',
      severity: 'warning',
      tag: 'nginx',
      verifyTls: false,
      separator: ' ',
    });
    try {
      const r = await handler(e, ctx);
      assert.equal(r.shipLines, 2);
      await rx.settled(2);
      // PRI = local0 (16) * 8 + warning (4) = 132
      assert.deepEqual(rx.got, [
        '<132>1 2023-11-14T22:13:20.000Z web-01 nginx - - - status=200 path=/a __topic__=nginx __tag__:zone=a',
        '<132>1 2023-11-14T22:13:21.500Z web-01 nginx - - - status=500 __topic__=nginx __tag__:zone=a',
      ]);
    } finally {
      await rx.close();
      await hub.close();
    }
  });
}

test('TLS verification refuses an untrusted certificate by default', async () => {
  const rx = await receiver('tls');
  const { hub, e } = await event({ host: '127.0.0.1', port: rx.port, protocol: 'tls' });
  try {
    await assert.rejects(handler(e, ctx), /certificate/);
  } finally {
    await rx.close();
    await hub.close();
  }
});
