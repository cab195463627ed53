// RFC 5424 messages and their transports: TCP and TLS with octet-counting framing (RFC 6587 /
// RFC 5425: "<length> <message>"), UDP one message per datagram (RFC 5426).
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';

const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export const facilityCode = (f: number | string | undefined) => (typeof f === 'number' ? f : f === undefined ? 1 : FACILITIES.indexOf(f));
export const severityCode = (s: number | string | undefined) => (typeof s === 'number' ? s : s === undefined ? 6 : SEVERITIES.indexOf(s));

/** PRINTUSASCII without space, 1..max chars, or the NILVALUE "-" (RFC 5424 §6). */
function field(v: string | undefined, max: number): string {
  const s = (v ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return s === '' ? '-' : s;
}

export interface Rfc5424 {
  pri: number;
  /** unix seconds (fractional allowed) */
  time: number;
  hostname?: string;
  appName?: string;
  msg: string;
}

export function formatRfc5424(m: Rfc5424): string {
  const ts = new Date(Math.round(m.time * 1000)).toISOString();
  return `<${m.pri}>1 ${ts} ${field(m.hostname, 255)} ${field(m.appName, 48)} - - - ${m.msg}`;
}

export interface Transport {
  send(messages: readonly string[]): Promise<void>;
  close(): void;
}

export function connect(o: {
  protocol: 'tcp' | 'tls' | 'udp';
  host: string;
  port: number;
  verifyTls: boolean;
  timeoutMs: number;
}): Promise<Transport> {
  if (o.protocol === 'udp') {
    const sock = dgram.createSocket(net.isIPv6(o.host) ? 'udp6' : 'udp4');
    return Promise.resolve({
      send: async (msgs) => {
        for (const m of msgs) await new Promise<void>((res, rej) => sock.send(Buffer.from(m), o.port, o.host, (e) => (e ? rej(e) : res())));
      },
      close: () => sock.close(),
    });
  }
  return new Promise((resolve, reject) => {
    const s =
      o.protocol === 'tls'
        ? tls.connect({ host: o.host, port: o.port, rejectUnauthorized: o.verifyTls, servername: net.isIP(o.host) ? undefined : o.host })
        : net.connect({ host: o.host, port: o.port });
    s.setTimeout(o.timeoutMs, () => s.destroy(new Error(`syslog ${o.protocol} ${o.host}:${o.port} timed out after ${o.timeoutMs} ms`)));
    s.once('error', reject);
    s.once(o.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
      s.off('error', reject);
      resolve({
        send: (msgs) =>
          new Promise<void>((res, rej) => {
            const frames = Buffer.concat(
              msgs.map((m) => {
                const b = Buffer.from(m);
                return Buffer.concat([Buffer.from(`${b.length} `), b]);
              }),
            );
            s.once('error', rej);
            s.write(frames, (e) => {
              s.off('error', rej);
              if (e) rej(e);
              else res();
            });
          }),
        close: () => s.end(),
      });
    });
  });
}
