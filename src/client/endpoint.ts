// Addressing as the official SDKs do it: the project is the first label of the Host; the path never
// carries it. For a raw-IP or localhost endpoint we connect to the address itself and put
// "<project>.<host>:<port>" in the Host header (what @alicloud/log sends), so a local server works
// without DNS tricks; for a host name we connect to "<project>.<host>" as the SDKs do.
import { isIP } from 'node:net';
import { SlsArgumentError } from '../errors/index.js';

export interface Endpoint {
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
  /** true for an IP literal or localhost: connect there, name the project only in Host */
  readonly direct: boolean;
  /** the endpoint as the user wrote it, normalised with a scheme (what events carry) */
  readonly url: string;
}

export function parseEndpoint(endpoint: string): Endpoint {
  const raw = String(endpoint ?? '').trim();
  if (raw === '') throw new SlsArgumentError('endpoint is required (e.g. http://127.0.0.1:8080 or cn-hangzhou.log.aliyuncs.com)');
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new SlsArgumentError(`endpoint ${JSON.stringify(endpoint)} is not a valid URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SlsArgumentError(`endpoint ${endpoint}: scheme must be http or https`);
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  const direct = isIP(hostname) !== 0 || hostname === 'localhost';
  const url = `${u.protocol}//${u.host}`;
  return { protocol: u.protocol, hostname, port, direct, url };
}

/** Where to connect and what Host to send for a request to `project` (undefined = no project). */
export function target(ep: Endpoint, project: string | undefined): { connectHost: string; hostHeader: string } {
  const defaultPort = ep.protocol === 'https:' ? 443 : 80;
  const portSuffix = ep.port === defaultPort ? '' : `:${ep.port}`;
  const hostName = isIP(ep.hostname) === 6 ? `[${ep.hostname}]` : ep.hostname;
  const host = project ? `${project}.${hostName}` : hostName;
  return { connectHost: ep.direct || !project ? ep.hostname : host, hostHeader: host + portSuffix };
}
