// Realistic nginx access-log records (the seed's sample fields), from a seeded PRNG so benchmarks
// and tests are repeatable. Pure: no I/O, no clock (the caller passes the time).
import type { Log, LogGroup } from '../codec/types.js';

const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD'] as const;
const STATUSES = ['200', '200', '200', '200', '301', '304', '400', '403', '404', '499', '500', '502'] as const;
const PATHS = ['/api/v1/orders', '/api/v1/users', '/static/js/app.js', '/static/css/site.css', '/index.html', '/healthz', '/api/v2/search'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'curl/8.5.0',
  'aliyun-sls-probe/1.0',
];
const HOSTS = ['www.example.com', 'api.example.com', 'static.example.com'];
const REFERERS = ['-', 'https://www.example.com/', 'https://search.example.org/?q=logs'];

/** Mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

function ip(rnd: () => number): string {
  return `${10 + Math.floor(rnd() * 200)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`;
}

/** One access-log record with 14 fields. */
export function nginxLog(rnd: () => number, time: number, id?: string): Log {
  const path = pick(rnd, PATHS);
  const contents = [
    { key: 'remote_addr', value: ip(rnd) },
    { key: 'remote_user', value: '-' },
    { key: 'time_local', value: new Date(time * 1000).toISOString() },
    { key: 'method', value: pick(rnd, METHODS) },
    { key: 'request_uri', value: `${path}?id=${Math.floor(rnd() * 1e6)}&page=${Math.floor(rnd() * 50)}` },
    { key: 'status', value: pick(rnd, STATUSES) },
    { key: 'body_bytes_sent', value: String(Math.floor(rnd() * 50000)) },
    { key: 'host', value: pick(rnd, HOSTS) },
    { key: 'request_time', value: (rnd() * 2).toFixed(3) },
    { key: 'http_user_agent', value: pick(rnd, AGENTS) },
    { key: 'http_referer', value: pick(rnd, REFERERS) },
    { key: 'http_x_forwarded_for', value: ip(rnd) },
    { key: 'upstream_response_time', value: (rnd() * 1.5).toFixed(3) },
    {
      key: 'request_id',
      value:
        id ??
        Math.floor(rnd() * 2 ** 52)
          .toString(16)
          .padStart(13, '0'),
    },
  ];
  return { time, contents };
}

export interface NginxGroupOptions {
  readonly logs: number;
  readonly time: number;
  readonly topic?: string;
  readonly source?: string;
}

export function nginxGroup(rnd: () => number, opts: NginxGroupOptions): LogGroup {
  const logs: Log[] = [];
  for (let i = 0; i < opts.logs; i++) logs.push(nginxLog(rnd, opts.time));
  return {
    logs,
    topic: opts.topic ?? 'nginx',
    source: opts.source ?? '192.168.0.10',
    logTags: [
      { key: '__hostname__', value: 'web-01' },
      { key: '__path__', value: '/var/log/nginx/access.log' },
    ],
  };
}
