// Who may call the console. Reads: any request whose Host names this server (so a DNS-rebinding
// page cannot read it under another name). Mutations (reset, redrive, replay): also a POST with
// JSON, the per-start token the page carries, and — when the browser says where it comes from —
// this server's own origin, so no other web page can make the user's browser call them.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-console-token';

/** Host header values that name this server: the bound address, and loopback names when bound to loopback or all addresses. */
export function allowedHosts(bindHost: string, port: number): Set<string> | undefined {
  if (bindHost === '0.0.0.0' || bindHost === '::') return undefined; // any name reaches it; the warning at start says so
  const names = new Set([bindHost.includes(':') ? `[${bindHost}]` : bindHost]);
  if (/^127\.|^::1$|^localhost$/.test(bindHost)) for (const n of ['127.0.0.1', 'localhost', '[::1]']) names.add(n);
  return new Set([...names].map((n) => `${n}:${port}`));
}

export function isLoopback(host: string): boolean {
  return /^127\./.test(host) || host === '::1' || host === 'localhost';
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why the request may not read (undefined: it may). */
export function refuseRead(req: IncomingMessage, hosts: Set<string> | undefined): string | undefined {
  const host = req.headers.host ?? '';
  if (hosts && !hosts.has(host.toLowerCase())) return `Host ${JSON.stringify(host)} does not name this console`;
  return undefined;
}

/** Why the request may not mutate (undefined: it may). */
export function refuseMutation(req: IncomingMessage, token: string): string | undefined {
  if (req.method !== 'POST') return 'mutations are POST requests';
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return 'mutations send Content-Type: application/json';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) return `cross-origin request from ${origin} refused`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request (${site}) refused`;
  const given = req.headers[TOKEN_HEADER];
  if (!sameToken(Array.isArray(given) ? given[0] : given, token))
    return `missing or wrong ${TOKEN_HEADER} (the page served by this console carries it)`;
  return undefined;
}
