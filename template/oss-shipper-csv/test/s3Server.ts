// A real S3-API object store on loopback (s3rver, files on disk) answering virtual-hosted-style
// requests (<bucket>.s3.<region>.localhost, as OSS requires), plus what s3rver does not do: it
// accepts any V4 signature, so every request is checked here against AWS's Signature V4 rules
// (canonical request, scope, HMAC chain) with the secret the test expects, and recorded.
import { createHash, createHmac } from 'node:crypto';
import dns from 'node:dns';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface SeenRequest {
  method: string;
  host: string;
  url: string;
  headers: IncomingMessage['headers'];
  signatureOk: boolean;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** The request's V4 signature, recomputed from its own headers (body integrity: x-amz-content-sha256, checked by the caller). */
export function checkV4(req: IncomingMessage, secret: string): boolean {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? '',
    );
  if (!auth) return false;
  const [, , day, region, signedHeaders, signature] = auth;
  const url = new URL(req.url ?? '/', 'http://x');
  const query = [...url.searchParams]
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date') || !names.includes('x-amz-content-sha256')) return false;
  const headerLines = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonical = [req.method, url.pathname, query, headerLines, signedHeaders, req.headers['x-amz-content-sha256']].join('\n');
  const amzDate = String(req.headers['x-amz-date']);
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return hmac(key, toSign).toString('hex') === signature && amzDate.startsWith(day);
}

/** Resolves every *.localhost name to 127.0.0.1 in this process (virtual-hosted buckets on loopback). */
function loopbackNames(): () => void {
  const original = dns.lookup;
  dns.lookup = ((host: string, options: unknown, callback?: unknown) => {
    if (!host.endsWith('.localhost')) return (original as (...a: unknown[]) => void)(host, options, callback);
    const cb = (typeof options === 'function' ? options : callback) as (...a: unknown[]) => void;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
  }) as typeof dns.lookup;
  return () => void (dns.lookup = original);
}

export async function startS3(buckets: string[], secret: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oss-csv-s3-'));
  const restoreDns = loopbackNames();
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    serviceEndpoint: 'localhost',
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = (await server.run()) as { port: number };
  const seen: SeenRequest[] = [];
  const httpServer = (
    server as unknown as { httpServer: { prependListener(e: 'request', f: (q: IncomingMessage, s: ServerResponse) => void): void } }
  ).httpServer;
  httpServer.prependListener('request', (req) => {
    seen.push({
      method: req.method ?? '',
      host: req.headers.host ?? '',
      url: req.url ?? '',
      headers: req.headers,
      signatureOk: checkV4(req, secret),
    });
  });
  return {
    /** what the function is given as target.ossEndpoint */
    endpoint: `http://s3.oss-cn-test.localhost:${port}`,
    seen,
    async close() {
      await server.close();
      restoreDns();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
