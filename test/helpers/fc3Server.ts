// A loopback server shaped like FC 3.0's invoke API: POST /2023-03-30/functions/{name}/invocations
// with the qualifier as a query parameter. It verifies the V3 signature (ACS3-HMAC-SHA256) as
// Alibaba's "V3 request body & signature mechanism" and FC's "Signature mechanism" pages describe it
// (docs/trigger.md), written here from that description, not with the SDK's signer:
//   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
//   StringToSign = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest)); Signature = hex(HMAC-SHA256(secret, StringToSign))
// and answers as FC does (function errors as 200 + x-fc-error-type, x-fc-log-result tail, 429 throttling).
import http from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { withBody, type FcReply } from './fcServer.js';

/** RFC 3986: unreserved characters stay, everything else is %XX (so space is %20, * is %2A, ~ stays). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export interface Fc3Call {
  functionName: string;
  qualifier: string | undefined;
  url: URL;
  headers: http.IncomingHttpHeaders;
  event: Buffer;
}

/** Why the signature is refused, or undefined when it holds. */
export function checkV3Signature(
  method: string,
  url: URL,
  h: http.IncomingHttpHeaders,
  body: Buffer,
  secrets: Record<string, string>,
  nowMs: number,
): string | undefined {
  const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(String(h.authorization ?? ''));
  if (!m) return 'Authorization is not ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…';
  const [, ak, signedList, signature] = m;
  const secret = secrets[ak];
  if (!secret) return `unknown AccessKeyId ${ak}`;
  const signed = signedList.split(';');
  const mustSign = Object.keys(h).filter((k) => k.startsWith('x-acs-') || k === 'host' || k === 'content-type');
  const unsigned = mustSign.filter((k) => !signed.includes(k));
  if (unsigned.length > 0) return `headers present but not signed: ${unsigned.join(', ')}`;
  if ([...signed].sort().join(';') !== signedList) return 'SignedHeaders are not sorted';
  if (h['x-acs-content-sha256'] !== sha256(body)) return 'x-acs-content-sha256 is not the body hash';
  const date = Date.parse(String(h['x-acs-date'] ?? ''));
  if (Number.isNaN(date) || Math.abs(nowMs - date) > 15 * 60_000) return 'x-acs-date missing or more than 15 minutes off';
  const uri = url.pathname
    .split('/')
    .map((seg) => rfc3986(decodeURIComponent(seg)))
    .join('/');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signed.map((k) => `${k}:${String(h[k] ?? '').trim()}\n`).join('');
  const canonical = [method, uri, query, headers, signedList, sha256(body)].join('\n');
  const expected = createHmac('sha256', secret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`)
    .digest('hex');
  return expected === signature ? undefined : 'signature does not match';
}

export async function startFc3Server(secrets: Record<string, string>, behave: (call: Fc3Call) => FcReply) {
  const calls: Fc3Call[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    withBody(req, (body) => {
      const requestId = `fc3-req-${++n}`;
      const json = (status: number, code: string, message: string) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-fc-request-id': requestId });
        res.end(JSON.stringify({ Code: code, Message: message, RequestId: requestId }));
      };
      const url = new URL(req.url ?? '/', 'http://fc3.local');
      const refused = checkV3Signature(req.method ?? '', url, req.headers, body, secrets, Date.now());
      if (refused) return json(403, 'SignatureNotMatch', refused);
      const route = /^\/2023-03-30\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
      if (req.method !== 'POST' || !route) return json(404, 'NotFound', url.pathname);
      const call = {
        functionName: decodeURIComponent(route[1]),
        qualifier: url.searchParams.get('qualifier') ?? undefined,
        url,
        headers: req.headers,
        event: body,
      };
      calls.push(call);
      reply(res, requestId, req.headers['x-fc-log-type'] === 'Tail', behave(call), json);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { endpoint: `http://127.0.0.1:${port}`, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function reply(
  res: http.ServerResponse,
  requestId: string,
  tail: boolean,
  r: FcReply,
  json: (status: number, code: string, message: string) => void,
): void {
  const logTail = (logs: string[]): Record<string, string> =>
    tail ? { 'x-fc-log-result': Buffer.from(logs.join('\n')).toString('base64') } : {};
  const send = (headers: Record<string, string>, payload: string) => {
    res.writeHead(200, { 'x-fc-request-id': requestId, ...headers });
    res.end(payload);
  };
  if ('status' in r) return json(r.status, r.code, r.code);
  if ('handled' in r)
    return send(
      { 'content-type': 'application/json', 'x-fc-error-type': 'HandledInvocationError', ...logTail([]) },
      JSON.stringify({ errorMessage: r.handled }),
    );
  if ('unhandled' in r)
    return send(
      { 'content-type': 'application/json', 'x-fc-error-type': 'UnhandledInvocationError', ...logTail(['Error: ' + r.unhandled]) },
      JSON.stringify({ errorMessage: r.unhandled, errorType: 'Error', stackTrace: ['Error: ' + r.unhandled] }),
    );
  send({ 'content-type': 'application/octet-stream', ...logTail(r.logs ?? []) }, typeof r.ok === 'string' ? r.ok : JSON.stringify(r.ok));
}
