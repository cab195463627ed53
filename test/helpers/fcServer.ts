// A loopback server shaped like FC 2.0's invoke API: POST /2016-08-15/services/{s[.q]}/functions/{f}/invocations.
// It verifies the FC signature (HMAC-SHA256 over VERB, Content-MD5, Content-Type, Date, sorted x-fc-*
// headers and the path; spec/fc-trigger.md §6.2) and the body's Content-MD5, then runs `behave`.
import http from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export type FcReply = { ok: unknown; logs?: string[] } | { handled: string } | { unhandled: string } | { status: number; code: string };

/** Calls `then` with the whole request body. */
export function withBody(req: http.IncomingMessage, then: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => then(Buffer.concat(chunks)));
}

export async function startFcServer(
  secret: Record<string, string>,
  behave: (event: Buffer, service: string, fn: string, qualifier: string | undefined) => FcReply,
) {
  const calls: Array<{ path: string; headers: http.IncomingHttpHeaders; event: Buffer }> = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    withBody(req, (body) => {
      const h = req.headers;
      const requestId = `fc-req-${++n}`;
      const send = (status: number, headers: Record<string, string>, payload: string | Buffer) => {
        res.writeHead(status, { 'x-fc-request-id': requestId, ...headers });
        res.end(payload);
      };
      const path = (req.url ?? '').split('?')[0];
      const fcHeaders = Object.keys(h)
        .filter((k) => k.startsWith('x-fc-'))
        .sort()
        .map((k) => `${k}:${String(h[k])}\n`)
        .join('');
      const toSign = `${req.method}\n${h['content-md5'] ?? ''}\n${h['content-type'] ?? ''}\n${h['date'] ?? ''}\n${fcHeaders}${path}`;
      const m = /^FC ([^:]+):(.+)$/.exec(String(h['authorization'] ?? ''));
      const key = m ? secret[m[1]] : undefined;
      const expected = key ? createHmac('sha256', key).update(toSign).digest('base64') : '';
      const md5 = Buffer.from(createHash('md5').update(body).digest('hex')).toString('base64');
      if (!m || !key || expected !== m[2] || (body.length > 0 && h['content-md5'] !== md5)) {
        return send(
          403,
          { 'content-type': 'application/json' },
          JSON.stringify({ ErrorCode: 'SignatureNotMatch', ErrorMessage: 'signature does not match' }),
        );
      }
      const route = /^\/2016-08-15\/services\/([^/.]+)(?:\.([^/]+))?\/functions\/([^/]+)\/invocations$/.exec(path);
      if (req.method !== 'POST' || !route)
        return send(404, { 'content-type': 'application/json' }, JSON.stringify({ ErrorCode: 'NotFound', ErrorMessage: path }));
      calls.push({ path, headers: h, event: body });
      const r = behave(body, route[1], route[3], route[2]);
      const tail = (logs: string[]): Record<string, string> =>
        h['x-fc-log-type'] === 'Tail' ? { 'x-fc-log-result': Buffer.from(logs.join('\n')).toString('base64') } : {};
      if ('status' in r)
        return send(r.status, { 'content-type': 'application/json' }, JSON.stringify({ ErrorCode: r.code, ErrorMessage: r.code }));
      if ('handled' in r)
        return send(
          200,
          { 'content-type': 'application/json', 'x-fc-error-type': 'HandledInvocationError', ...tail([]) },
          JSON.stringify({ errorMessage: r.handled }),
        );
      if ('unhandled' in r)
        return send(
          200,
          { 'content-type': 'application/json', 'x-fc-error-type': 'UnhandledInvocationError', ...tail([]) },
          JSON.stringify({ errorMessage: r.unhandled, errorType: 'Error', stackTrace: ['Error: ' + r.unhandled] }),
        );
      return send(
        200,
        { 'content-type': 'application/octet-stream', ...tail(r.logs ?? []) },
        typeof r.ok === 'string' ? r.ok : JSON.stringify(r.ok),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { endpoint: `http://127.0.0.1:${port}`, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}
