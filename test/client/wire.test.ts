// The client's own HTTP/1.1 transport (src/client/wire/): the parser against every framing split at
// any byte, and the connection pool against raw TCP servers that misbehave the way networks do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from '../helpers/fastCheck.js';
import { LogClient } from '../../src/client/index.js';
import { HttpProtocolError, ResponseParser } from '../../src/client/wire/responseParser.js';
import { SlsArgumentError, SlsTransportError, isRetriable } from '../../src/errors/index.js';
import { closeAfter, cursorAnswer, getCursor, rawServer } from '../helpers/rawHttp.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tlsDir = path.join(here, '..', 'fixtures', 'tls');
const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const noRetry = { retries: 0 };
/** One response in any of the framings the parser accepts, serialised. */
const responseArb = fc.record({
  status: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304),
  headers: fc.array(fc.tuple(fc.stringMatching(/^x-[a-z]{1,8}$/), fc.stringMatching(/^[!-+\--~]([ -+\--~]{0,20}[!-+\--~])?$/)), {
    maxLength: 6,
  }),
  body: fc.uint8Array({ maxLength: 3000 }),
  framing: fc.constantFrom('length', 'chunked', 'close'),
  chunk: fc.integer({ min: 1, max: 700 }),
  informational: fc.boolean(),
});

type Response = typeof responseArb extends fc.Arbitrary<infer T> ? T : never;

function serialise(r: Response): Buffer {
  let head = r.informational ? 'HTTP/1.1 100 Continue\r\n\r\n' : '';
  head += `HTTP/1.1 ${r.status} Whatever\r\n`;
  for (const [k, v] of r.headers) head += `${k}: ${v}\r\n`;
  const body = Buffer.from(r.body);
  if (r.framing === 'length') return Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
  if (r.framing === 'close') return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]);
  const parts: Buffer[] = [Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n`, 'latin1')];
  for (let i = 0; i < body.length; i += r.chunk) {
    const piece = body.subarray(i, i + r.chunk);
    parts.push(Buffer.from(`${piece.length.toString(16)};ext=1\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\nx-trailer: t\r\n\r\n'));
  return Buffer.concat(parts);
}

test('parser: every framing, split at any bytes, gives the same status, headers and body', () => {
  fc.assert(
    fc.property(responseArb, fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 8 }), (r, cuts) => {
      const bytes = serialise(r);
      const points = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b);
      const parser = new ResponseParser('GET');
      let res;
      let from = 0;
      for (const at of [...points, bytes.length]) {
        assert.equal(res, undefined, 'complete before its last byte');
        res = parser.push(bytes.subarray(from, at));
        from = at;
      }
      if (r.framing === 'close') {
        assert.equal(res, undefined);
        res = parser.end();
      }
      assert.ok(res);
      assert.equal(res.status, r.status);
      assert.deepEqual([...res.body], [...r.body]);
      for (const [k, v] of r.headers) assert.ok(res.headers[k].split(', ').includes(v), `${k}: ${v}`);
      assert.equal(res.keepAlive, r.framing !== 'close');
    }),
    { numRuns: 300 },
  );
});

test('parser: malformed answers are HttpProtocolError, a HEAD or 204 answer has no body', () => {
  const bad = [
    'HELLO\r\n\r\n',
    'HTTP/1.1 200 OK\r\ncontent-length: 2, 3\r\n\r\nab',
    'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n',
    'HTTP/1.1 200 OK\r\n folded\r\n\r\n',
    'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\n',
    'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
    'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n',
    'HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nab',
  ];
  for (const text of bad) assert.throws(() => new ResponseParser('GET').push(Buffer.from(text)), HttpProtocolError, JSON.stringify(text));
  assert.throws(() => new ResponseParser('GET').push(Buffer.alloc(70_000, 'a')), /longer than/);
  assert.throws(() => new ResponseParser('GET').end(), /closed before a response/);
  const p = new ResponseParser('GET');
  p.push(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab'));
  assert.throws(() => p.end(), /closed mid-response/);
  assert.equal(new ResponseParser('HEAD').push(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n'))?.body.length, 0);
  const noContent = new ResponseParser('DELETE').push(Buffer.from('HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n'));
  assert.equal(noContent?.status, 204);
  assert.equal(noContent?.keepAlive, false);
});

test('a chunked answer in pieces reaches the caller; the request line and headers are what SLS expects', async (t) => {
  const heads: string[] = [];
  const srv = await rawServer((req, s) => {
    heads.push(req.head);
    const body = JSON.stringify({ cursor: 'MTUwMDAwMDAwMDAwMDAwMA==' });
    s.write(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nx-log-requestid: R2\r\n\r\n${(4).toString(16)}\r\n${body.slice(0, 4)}\r\n`);
    setImmediate(() => s.write(`${(body.length - 4).toString(16)}\r\n${body.slice(4)}\r\n0\r\n\r\n`));
  });
  const c = new LogClient({ endpoint: srv.endpoint, credentials: creds });
  closeAfter(t, c, srv);
  assert.equal(await getCursor(c), 'MTUwMDAwMDAwMDAwMDAwMA==');
  const lines = heads[0].split('\r\n');
  assert.equal(lines[0], 'GET /logstores/ls/shards/0?type=cursor&from=end HTTP/1.1');
  assert.ok(lines.includes(`host: p.127.0.0.1:${srv.port}`));
  assert.ok(lines.some((l) => /^authorization: LOG ak:[A-Za-z0-9+/=]+$/.test(l)));
});

test('a kept-alive socket the server closed: a GET is sent again on a new one, a POST fails retriable', async (t) => {
  const srv = await rawServer((req, s) => {
    // the server drops a kept-alive connection as a request arrives: the 2nd GET, then the 2nd heartbeat
    if ((req.connection === 0 && req.index === 1) || (req.connection === 1 && req.index === 2)) return s.destroy();
    s.write(req.head.startsWith('GET') ? cursorAnswer('c1') : 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]');
  });
  const c = new LogClient({ endpoint: srv.endpoint, credentials: creds, retry: noRetry });
  closeAfter(t, c, srv);
  assert.equal(await getCursor(c), 'c1');
  assert.equal(await getCursor(c), 'c1'); // second request: connection 0 dies, resent on connection 1
  assert.equal(srv.connections(), 2);
  await c.heartbeat({ project: 'p', logstore: 'ls', consumerGroup: 'g', consumer: 'a', shards: [] });
  const err = await c.heartbeat({ project: 'p', logstore: 'ls', consumerGroup: 'g', consumer: 'a', shards: [] }).catch((e) => e);
  assert.ok(err instanceof SlsTransportError, String(err));
  assert.equal(err.code, 'ConnectionError');
  assert.equal(isRetriable(err), true);
});

test('no answer is a Timeout; an answer cut off mid-body a retriable ConnectionError; garbage a BadResponse', async (t) => {
  const srv = await rawServer((req, s) => {
    if (req.head.includes('shards/1')) return; // silent
    if (req.head.includes('shards/2')) return void s.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"cursor":');
    s.write('HTTP/1.1 OK\r\n\r\n');
  });
  const c = new LogClient({ endpoint: srv.endpoint, credentials: creds, retry: noRetry, timeoutMs: 300 });
  closeAfter(t, c, srv);
  const at = (shardId: number) => c.getCursor({ project: 'p', logstore: 'ls', shardId, from: 'end' }).catch((e) => e);
  const [silent, cut, garbage] = await Promise.all([at(1), at(2), at(3)]);
  assert.equal(silent.code, 'Timeout');
  assert.match(silent.message, /GetCursor timed out after 300 ms/);
  assert.equal(cut.code, 'ConnectionError');
  assert.equal(isRetriable(cut), true);
  assert.equal(garbage.code, 'BadResponse');
  assert.equal(isRetriable(garbage), false);
});

test('at most maxSockets connections per host; every request beyond them waits and is answered', async (t) => {
  const srv = await rawServer((_req, s) => {
    setImmediate(() => s.write(cursorAnswer('c')));
  });
  const c = new LogClient({ endpoint: srv.endpoint, credentials: creds, maxSockets: 3 });
  closeAfter(t, c, srv);
  const answers = await Promise.all(Array.from({ length: 100 }, () => getCursor(c)));
  assert.deepEqual(new Set(answers), new Set(['c']));
  assert.equal(srv.connections(), 3);
});

test('a header value HTTP cannot carry is refused before anything is sent', async (t) => {
  const srv = await rawServer((_req, s) => s.write(cursorAnswer('c')));
  const c = new LogClient({ endpoint: srv.endpoint, credentials: creds });
  closeAfter(t, c, srv);
  const err = await c.getCursor({ project: 'p\r\nx-evil: 1', logstore: 'ls', shardId: 0, from: 'end' }).catch((e) => e);
  assert.ok(err instanceof SlsArgumentError, String(err));
  assert.equal(srv.connections(), 0);
});

test('https: a private CA given as `ca` is trusted, and without it the certificate is refused', async (t) => {
  const server = https.createServer(
    { cert: fs.readFileSync(path.join(tlsDir, 'cert.pem')), key: fs.readFileSync(path.join(tlsDir, 'key.pem')) },
    (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ cursor: `via ${req.headers.host}` }));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const clients: LogClient[] = [];
  const closing = { close: () => clients.forEach((c) => c.close()) };
  closeAfter(t, closing, {
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  });
  const ca = fs.readFileSync(path.join(tlsDir, 'cert.pem'));
  for (const host of ['127.0.0.1', 'localhost']) {
    const c = new LogClient({ endpoint: `https://${host}:${port}`, credentials: creds, ca });
    clients.push(c);
    assert.equal(await getCursor(c), `via p.${host}:${port}`);
  }
  const untrusting = new LogClient({ endpoint: `https://127.0.0.1:${port}`, credentials: creds, retry: noRetry });
  clients.push(untrusting);
  const err = await getCursor(untrusting).catch((e) => e);
  assert.equal(err.code, 'ConnectionError');
  assert.match(err.message, /certificate/);
});

test('idle kept-alive connections never hold a process open', async (t) => {
  const srv = await rawServer((_req, s) => s.write(cursorAnswer('c', 'keep-alive: timeout=600\r\n')));
  t.after(() => srv.close());
  const script = `
    import { LogClient } from ${JSON.stringify(path.join(here, '..', '..', 'src', 'client', 'index.ts'))};
    const c = new LogClient({ endpoint: ${JSON.stringify(srv.endpoint)}, credentials: { accessKeyId: 'a', accessKeySecret: 's' }, idleSocketMs: 600000 });
    console.log(await c.getCursor({ project: 'p', logstore: 'ls', shardId: 0, from: 'end' }));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on('exit', (c, s) => r([c, s])));
  clearTimeout(killer);
  assert.equal(signal, null, 'the child had to be killed: an idle socket held it open');
  assert.equal(code, 0);
  assert.equal(out.trim(), 'c');
});

test('the timeout counts silence, not the whole answer; an idle socket is closed after idleSocketMs', async (t) => {
  // The answer arrives 5 bytes every 40 ms: about 3 times the 400 ms timeout in all, never 400 ms silent.
  let closedByClient!: () => void;
  const socketClosed = new Promise<void>((r) => (closedByClient = r));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => {
      const answer = cursorAnswer('slow-but-steady');
      let at = 0;
      const timer = setInterval(() => {
        socket.write(answer.slice(at, (at += 5)));
        if (at >= answer.length) clearInterval(timer);
      }, 40);
      socket.once('close', () => clearInterval(timer));
    });
    socket.on('end', () => closedByClient());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const c = new LogClient({ endpoint, credentials: creds, retry: noRetry, timeoutMs: 400, idleSocketMs: 50 });
  let bound: NodeJS.Timeout | undefined;
  closeAfter(t, c, {
    close: () => {
      clearTimeout(bound);
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  });
  assert.equal(await getCursor(c), 'slow-but-steady');
  // the idle timer closes it (nothing else would: close() comes after); bounded so a broken timer fails instead of hanging
  const hang = new Promise<never>((_, reject) => (bound = setTimeout(() => reject(new Error('idle socket never closed')), 20_000)));
  await Promise.race([socketClosed, hang]);
});
