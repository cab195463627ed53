// A loopback HTTP server that records every request (method, URL, headers, body) and answers 200.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export async function startRecorder(
  reply: (r: Recorded) => { status?: number; headers?: Record<string, string>; body?: string | Buffer } = () => ({}),
) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(r);
      const out = reply(r);
      res.writeHead(out.status ?? 200, { 'x-log-requestid': 'REC', ...(out.headers ?? {}) });
      res.end(out.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}
